// fetch over the suite's one pool (dispatcher.ts), for clients built on fetch (Octokit):
// the same keep-alive connections, proxy variables and CAs as every other request.
import { fetch } from 'undici';
import { dispatcher } from './dispatcher.js';

export const pooledFetch = ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
  fetch(input, { ...init, dispatcher: dispatcher() })) as unknown as typeof globalThis.fetch;
