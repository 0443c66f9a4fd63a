/**
 * The functions log JSON lines to stdout, which Lambda ships to CloudWatch Logs (billed per GB
 * ingested). While a journey runs in the bench, those lines are counted instead of printed: their bytes
 * feed the cost estimate, and the bench's report stays readable. Anything else on stdout passes through.
 */
export interface FunctionLogCapture {
  /** bytes of function log lines seen since the capture began */
  bytes(): number;
  lines(): number;
  stop(): void;
}

const functionLogLine = /^\{"level":"/;

export function captureFunctionLogs(stream: NodeJS.WriteStream = process.stdout): FunctionLogCapture {
  let bytes = 0;
  let lines = 0;
  const original = stream.write.bind(stream);
  // the overloads of write() differ only in their optional arguments, which are passed on untouched
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
    if (text !== undefined && functionLogLine.test(text)) {
      bytes += Buffer.byteLength(text, 'utf8');
      lines += text.split('\n').filter((line) => line !== '').length;
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }
    return (original as (chunk: unknown, ...rest: unknown[]) => boolean)(chunk, ...rest);
  };
  stream.write = write as typeof stream.write;
  return {
    bytes: () => bytes,
    lines: () => lines,
    stop() {
      stream.write = original;
    },
  };
}
