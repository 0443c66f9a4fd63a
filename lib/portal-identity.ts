import { Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  ClientAttributes,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { portalRoles } from '../functions/portal/portal-user.ts';
import { pascalCase } from './construct-ids.ts';

export interface PortalIdentityProps {
  /** the HTTP API's base URL: the portal's callback is `<appBaseUrl>/portal/callback` */
  readonly appBaseUrl: string;
}

/**
 * Who may sign in to the clinic portal: a Cognito user pool with Cognito's managed login. No one signs
 * themselves up: an admin adds each person, to the group `clinician`, `staff` or `admin`, and a
 * clinician's `custom:clinician_id` is their id in the clinic config (only an admin can set it: the
 * portal's app client cannot write it). TOTP MFA is required, passwords are long, and threat protection
 * is enforced. A clinic that has its own IdP federates it to this pool (README, "Signing in").
 *
 * The portal is a public app client (authorization code with PKCE, no secret), as it is against the
 * local OpenID provider; its session cookie is sealed with a key kept in Secrets Manager.
 */
export class PortalIdentity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly sessionKey: Secret;

  constructor(scope: Construct, id: string, props: PortalIdentityProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Users', {
      userPoolName: Names.uniqueResourceName(this, { maxLength: 60 }),
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 12,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // the people of the clinic outlive a redeploy
      removalPolicy: RemovalPolicy.RETAIN,
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: true, mutable: true } },
      customAttributes: { clinician_id: new StringAttribute({ mutable: true, minLen: 2, maxLen: 40 }) },
    });
    for (const role of portalRoles) {
      new UserPoolGroup(this, `${pascalCase(role)}Group`, {
        userPool: this.userPool,
        groupName: role,
        description: groupDescriptions[role],
      });
    }
    this.userPool.addDomain('ManagedLogin', {
      // prefixes are global per region: the account id keeps two clinics' deploys of this app apart
      cognitoDomain: {
        domainPrefix: `${Names.uniqueResourceName(this, { maxLength: 36, separator: '-' })
          .toLowerCase()
          .replace(/[^a-z0-9-]/g, '')}-${Stack.of(this).account}`,
      },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.client = this.userPool.addClient('Portal', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.appBaseUrl}/portal/callback`],
        logoutUrls: [`${props.appBaseUrl}/portal`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // a user can read who they are, and change nothing: not their groups, not their clinician id
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('clinician_id'),
      writeAttributes: new ClientAttributes(),
      idTokenValidity: Duration.minutes(60),
      accessTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
    });
    new CfnManagedLoginBranding(this, 'ManagedLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    const key = new Key(this, 'SessionKeyKey', {
      description: "Care Journeys: the portal's session key",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // 43 letters and digits read as base64url: 256 bits for AES-256-GCM (functions/portal/portal-settings.ts)
    this.sessionKey = new Secret(this, 'SessionKey', {
      description: "Care Journeys: seals the clinic portal's session cookies",
      encryptionKey: key,
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const rule of ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerRotationEnabled']) {
      Validations.of(this.sessionKey).acknowledge({
        id: rule,
        reason:
          'The session key is rotated by replacing the secret and redeploying; a rotation signs every clinician and staff member out, and a session lasts 12 hours at most.',
      });
    }
  }

  get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /** The portal's settings on a function that signs people in or checks their session. */
  configure(fn: LambdaFunction): void {
    fn.addEnvironment('OIDC_ISSUER', this.issuer);
    fn.addEnvironment('OIDC_CLIENT_ID', this.client.userPoolClientId);
    // resolved by CloudFormation at deploy: the value is in neither the template nor the repository
    fn.addEnvironment('PORTAL_SESSION_KEY', this.sessionKey.secretValue.unsafeUnwrap());
    fn.addEnvironment('CLINICIAN_SIGN_IN', 'required');
  }
}

const groupDescriptions: Record<(typeof portalRoles)[number], string> = {
  clinician: "Clinicians of the clinic config (custom:clinician_id): decide their own and their backup's steps",
  staff: "Clinic staff: enrol patients, book consults, record what staff record; never decide a clinician's step",
  admin: 'Administrators: manage the portal; decide nothing unless also in clinician',
};
