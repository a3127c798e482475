// Preloaded with `node --import`: logs the URL of every module the process loads to $LOAD_LOG,
// so a test can see what a CLI run pulled in.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
