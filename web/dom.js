// A tiny element builder: h('a', { href: '#/runs' }, 'runs').

/** Creates `tag` with properties (`className`, `onclick`, dataset via `data-*` ...) and children (nodes or text). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('data-') || k === 'for' || k === 'list') el.setAttribute(k, v);
    else el[k] = v;
  }
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

/** step-000120 from 120. */
export const stepName = (step) => `step-${String(step).padStart(6, '0')}`;
