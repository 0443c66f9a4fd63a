import { workflowHandler } from '../platform/workflow-handler.ts';
import { requestAction, requestActionInput } from './request-action.ts';

/** statemachines/person-action.asl.json: "Send the link", "Send a reminder", "Escalate" (.waitForTaskToken). */
export const handler = workflowHandler('request-action', requestActionInput, (input) => requestAction(input));
