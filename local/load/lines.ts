/** Calls `each` with every complete line a child's pipe prints, reading the pipe for as long as it is open. */
export function onLines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let buffered = "";
  stream.on("data", (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const l of lines) each(l);
  });
}
