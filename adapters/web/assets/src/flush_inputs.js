// The properties panel writes typed values into the diagram after a pause (debounceInput). A value typed and then
// saved or deployed at once would miss the XML; this replacement debounce remembers what is pending so that
// flushInputs() can write it first (called before every saveXML).
const DELAY = 300;
const pending = new Set();

function debounceInput() {
  return (fn) => {
    let timer = null;
    let lastArgs = [];
    const run = () => {
      clearTimeout(timer);
      timer = null;
      pending.delete(run);
      fn(...lastArgs);
    };
    return (...args) => {
      lastArgs = args;
      clearTimeout(timer);
      pending.add(run);
      timer = setTimeout(run, DELAY);
    };
  };
}

export function flushInputs() {
  [...pending].forEach((run) => run());
}

export const flushableDebounceModule = { debounceInput: ['factory', debounceInput] };
