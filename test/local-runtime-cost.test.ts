import { describe, expect, it } from 'vitest';
import { awsPrices, estimateCost, lambdaGbSeconds } from '../local/runtime/aws-prices.ts';
import { parseClockMove } from '../local/runtime/clock-request.ts';
import { unitsIn } from '../local/runtime/dynamodb-metering-proxy.ts';

const nothing = {
  stateTransitions: 0,
  lambdaInvocations: 0,
  lambdaGbSeconds: 0,
  dynamoDbReadRequestUnits: 0,
  dynamoDbWriteRequestUnits: 0,
  emailsSent: 0,
  httpRequests: 0,
};

describe('the estimated AWS cost (us-east-1 list prices)', () => {
  it('prices 1,000 Standard state transitions at $0.025', () => {
    expect(estimateCost({ ...nothing, stateTransitions: 1000 }).totalUsd).toBeCloseTo(0.025, 10);
  });

  it('prices a million of each request-billed unit at its list price', () => {
    const million = estimateCost({
      ...nothing,
      lambdaInvocations: 1e6,
      dynamoDbReadRequestUnits: 1e6,
      dynamoDbWriteRequestUnits: 1e6,
      httpRequests: 1e6,
    });
    expect(million.totalUsd).toBeCloseTo(0.2 + 0.125 + 0.625 + 1, 10);
  });

  it('prices emails at $0.10 per thousand and arm64 compute per GB-second', () => {
    expect(estimateCost({ ...nothing, emailsSent: 1000, lambdaGbSeconds: 1 }).totalUsd).toBeCloseTo(
      0.1 + 0.0000133334,
      12,
    );
  });

  it('says which region and date its prices are from', () => {
    expect(estimateCost(nothing)).toMatchObject({ totalUsd: 0, region: 'us-east-1', pricesAsOf: awsPrices.asOf });
  });

  it('bills Lambda duration rounded up to the millisecond, times the memory', () => {
    expect(lambdaGbSeconds(0.2, 1024)).toBe(0.001);
    expect(lambdaGbSeconds(1000, 512)).toBe(0.5);
  });
});

describe('capacity units read from DynamoDB answers', () => {
  it('counts the capacity of a write operation as write units and of a read as read units', () => {
    expect(unitsIn('PutItem', {}, { ConsumedCapacity: { TableName: 't', CapacityUnits: 1 } })).toEqual({
      read: 0,
      write: 1,
    });
    expect(unitsIn('Query', {}, { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } })).toEqual({
      read: 0.5,
      write: 0,
    });
  });

  it('sums the per-table entries of a transaction', () => {
    const answer = {
      ConsumedCapacity: [
        { TableName: 'a', CapacityUnits: 4 },
        { TableName: 'b', CapacityUnits: 2 },
      ],
    };
    expect(unitsIn('TransactWriteItems', {}, answer)).toEqual({ read: 0, write: 6 });
  });

  it('uses the read and write split when DynamoDB gives one', () => {
    const answer = {
      ConsumedCapacity: { TableName: 't', CapacityUnits: 3, ReadCapacityUnits: 1, WriteCapacityUnits: 2 },
    };
    expect(unitsIn('ExecuteTransaction', {}, answer)).toEqual({ read: 1, write: 2 });
  });

  it('counts a PartiQL SELECT as reads and any other statement as writes', () => {
    const answer = { ConsumedCapacity: { TableName: 't', CapacityUnits: 1 } };
    expect(unitsIn('ExecuteStatement', { Statement: 'SELECT * FROM t' }, answer)).toEqual({ read: 1, write: 0 });
    expect(unitsIn('ExecuteStatement', { Statement: "UPDATE t SET a = 1 WHERE PK = 'x'" }, answer)).toEqual({
      read: 0,
      write: 1,
    });
  });

  it('counts nothing when the answer carries no capacity', () => {
    expect(unitsIn('GetItem', {}, {})).toEqual({ read: 0, write: 0 });
  });
});

describe('a clock move', () => {
  const now = new Date('2026-01-05T14:00:00Z');

  it('accepts zero seconds, which only lets due work settle', () => {
    expect(parseClockMove({ advanceSeconds: 0 }, now)).toEqual({ ok: true, move: { advanceSeconds: 0 } });
  });

  it('accepts a target equal to now and one with a time-zone offset', () => {
    expect(parseClockMove({ to: now.toISOString() }, now)).toEqual({ ok: true, move: { to: now } });
    expect(parseClockMove({ to: '2026-01-05T09:00:00-05:00' }, now)).toEqual({ ok: true, move: { to: now } });
  });

  it('refuses more than ten years at once and anything that is not an object', () => {
    expect(parseClockMove({ advanceSeconds: 400 * 24 * 3600 * 10 }, now)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/ten years/),
    });
    expect(parseClockMove([3600], now)).toMatchObject({ ok: false });
    expect(parseClockMove(null, now)).toMatchObject({ ok: false });
  });
});
