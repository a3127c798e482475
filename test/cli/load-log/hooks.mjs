import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  appendFileSync(process.env.LOAD_LOG, `${url}\n`);
  return next(url, context);
}
