// Reference process for bench/worker-idle-rss.ts: TypeScript loaded through tsx, doing nothing.
setInterval(() => {}, 1000);
