import { createHash } from 'node:crypto';
import { Html, html } from './html.ts';

/**
 * The one page shell: no external assets, no script, readable on a phone. The only style is this inline
 * sheet, allowed by its hash in the Content-Security-Policy, so nothing else can style or run.
 */
export const PAGE_CSS = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:0;background:#f6f7f9;color:#1b1f24;line-height:1.5}',
  'main{max-width:40rem;margin:0 auto;padding:1rem;background:#fff;min-height:100vh;box-sizing:border-box}',
  'h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}',
  'fieldset{border:1px solid #cfd4da;border-radius:.4rem;margin:0 0 1rem;padding:.5rem .8rem}legend{font-weight:600;padding:0 .3rem}',
  '.field{margin:0 0 .9rem}.field>label,.field>.label{display:block;font-weight:600;margin-bottom:.2rem}',
  'input[type=text],input[type=number],input[type=datetime-local],input[type=date],select,textarea{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #8a939c;border-radius:.3rem}',
  // answers under a question read as answers (not bold like the question) and are thumb-sized on a phone
  'textarea{min-height:6rem}.choice,.field>label.choice{display:flex;align-items:center;gap:.6rem;font-weight:400;margin:0;padding:.45rem 0}.choice input{width:1.25rem;height:1.25rem;margin:0;flex:none}',
  '.error{color:#a4161a;font-weight:600;margin:.2rem 0}.invalid input,.invalid select,.invalid textarea{border-color:#a4161a}',
  '.summary{border:2px solid #a4161a;padding:.5rem 1rem;border-radius:.4rem;margin-bottom:1rem}',
  '.notice{border-left:4px solid #1d4ed8;background:#eef2ff;padding:.6rem 1rem;margin:1rem 0}',
  '.urgent{border-left:4px solid #a4161a;background:#fdecec;padding:.6rem 1rem;margin:1rem 0;font-weight:600}',
  'button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem .5rem .3rem 0;border-radius:.3rem;border:1px solid #1d4ed8;background:#1d4ed8;color:#fff}',
  // long words (ids, times) wrap rather than push a table past a phone's width
  'button.secondary{background:#fff;color:#1d4ed8}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e6ea;padding:.3rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}',
  // facts as label and value pairs that wrap onto two lines on a phone (the follow-up's measures)
  '.measure{border:1px solid #cfd4da;border-radius:.4rem;padding:.2rem .8rem;margin:0 0 1rem}h3{font-size:1rem;margin:.6rem 0 .3rem}',
  '.facts{margin:0}.facts>div{display:flex;flex-wrap:wrap;gap:0 .6rem;border-bottom:1px solid #e3e6ea;padding:.3rem 0}.facts>div:last-child{border-bottom:0}.facts dt{font-weight:600;flex:0 0 6.5rem}.facts dd{margin:0;flex:1 1 12rem;min-width:0;overflow-wrap:anywhere}',
  '.hint{color:#4a525a;font-size:.9rem;margin:.1rem 0 .3rem}',
  // a visible focus for keyboard users on every control and link (WCAG 2.4.7)
  'a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,.summary:focus{outline:3px solid #1d4ed8;outline-offset:2px}',
  // details asked only after "Yes" (the journal's side effects); a browser without :has drops the rule and shows them
  '.reveal:not(:has(>.field input[value=yes]:checked))>.if-yes{display:none}',
].join('');

export const PAGE_CSS_HASH = `sha256-${createHash('sha256').update(PAGE_CSS, 'utf8').digest('base64')}`;

/** The page, its `lang` the language it is written in (the patient's, or English). */
export function page(title: string, body: Html, lang = 'en'): string {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new Html(PAGE_CSS)}</style>
</head>
<body><main>
<h1>${title}</h1>
${body}
</main></body>
</html>`.value;
}
