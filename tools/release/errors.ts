// A release that must not happen. The message says why and what to do instead; nothing
// was tagged, committed or pushed when it is thrown.

export class ReleaseRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseRefusal';
  }
}
