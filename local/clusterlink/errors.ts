/** An answer in the Confluent error envelope `{error_code, message}`, thrown by handlers. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): RestError => new RestError(400, 40002, message);
export const linkNotFound = (link: string): RestError =>
  new RestError(404, 404, `Cluster link '${link}' does not exist.`);
export const topicNotFound = (topic: string): RestError =>
  new RestError(404, 40403, `This server does not host this topic-partition: mirror topic '${topic}' does not exist.`);
