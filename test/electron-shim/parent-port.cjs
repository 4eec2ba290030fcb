// Preloaded (--require) into a process the test shim's utilityProcess.fork starts: gives it Electron's
// `process.parentPort` over Node's IPC channel, so the worker takes the same branch as under Electron.
'use strict';
process.parentPort = {
  on(event, listener) {
    if (event === 'message') process.on('message', (data) => listener({ data }));
  },
  postMessage(message) {
    if (process.connected) process.send(message);
  },
};
// A utility process goes with its parent (Electron kills it); here the IPC channel closing stands for that.
process.on('disconnect', () => process.exit(0));
