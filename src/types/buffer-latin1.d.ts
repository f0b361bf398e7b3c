// Node's fast latin1 Buffer methods exist on every Buffer but are missing from @types/node.
export {};
declare global {
  interface Buffer {
    latin1Write(s: string, offset?: number, length?: number): number;
    latin1Slice(start?: number, end?: number): string;
  }
}
