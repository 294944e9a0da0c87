import { cspHash } from './csp-hash';

/**
 * The one stylesheet, inlined so nothing blocks the first render. It is a constant because the
 * Content-Security-Policy allows it by hash and that header is the same for every page. Colours meet
 * WCAG AA in both schemes; the header keeps white text on the brand red, which does too (8.2:1). Every
 * heading level is sized here, none below the body text (the browser's own h5 and h6 are smaller); the
 * deepest levels differ by style instead.
 */
export const STYLESHEET = `
:root{--bg:#fff;--fg:#1b1b1b;--muted:#555;--rule:#d8d8d8;--link:#0a4fa8;--brand:#a3001b;--panel:#f5f5f5;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--muted:#b5b5b5;--rule:#3a3a3a;--link:#93bdf8;--panel:#1e1e1e}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;overflow-wrap:break-word}
a{color:var(--link);text-underline-offset:.15em}
a:hover{text-decoration-thickness:2px}
:focus-visible{outline:3px solid currentColor;outline-offset:2px}
img{max-width:100%;height:auto}
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.skip-link{position:absolute;left:.5rem;top:-3rem;z-index:1;padding:.5rem 1rem;background:var(--bg);color:var(--fg)}
.skip-link:focus{top:.5rem}
.site-header{background:var(--brand);color:#fff}
.site-header a{color:#fff;text-decoration:none}
.site-header a:hover,.site-header a[aria-current]{text-decoration:underline}
.bar,.page{max-width:72rem;margin:0 auto;padding:0 1rem}
.bar{display:flex;flex-wrap:wrap;align-items:center;column-gap:1.5rem;padding-top:.25rem;padding-bottom:.25rem}
.site-name{font-size:1.5rem;font-weight:800;letter-spacing:-.01em;padding:.25rem 0}
.sections{flex:1 1 auto;min-width:0}
.sections ul{display:flex;flex-wrap:wrap;gap:0 .25rem;margin:0 -.5rem;padding:0;list-style:none}
.sections a{display:block;padding:.625rem .5rem;font-weight:600}
@media (max-width:40rem){.bar{padding-bottom:.5rem}.sections{flex-basis:100%}.sections a{padding:.375rem .5rem}}
.page{padding-top:1.5rem;padding-bottom:2.5rem}
h1,h2,h3,h4,h5,h6{line-height:1.2;margin:0 0 .5rem}
h1{font-size:clamp(1.75rem,1.2rem + 2.5vw,2.75rem);letter-spacing:-.015em}
h2{font-size:1.375rem}
h3{font-size:1.1875rem}
h4,h5,h6{font-size:1.0625rem}
h5,h6{font-style:italic}
h6{font-weight:600}
.prose h2,.prose h3,.prose h4,.prose h5,.prose h6{margin-top:1.75rem}
p{margin:0 0 1rem}
.label{margin:0 0 .5rem;font-size:.875rem;font-weight:700;text-transform:uppercase;letter-spacing:.06em}
.label a{color:var(--brand);text-decoration:none}
@media (prefers-color-scheme:dark){.label a{color:#ff8f9f}}
.standfirst{font-size:1.25rem;line-height:1.45}
.meta{color:var(--muted);font-size:.9375rem}
.meta span+span::before{content:" · "}
.article,.prose,.intro{max-width:70ch}
.hero{margin:0 0 1.5rem}
.hero img,.lead-picture img,.thumb{display:block;width:100%;aspect-ratio:16/9;object-fit:cover;background:var(--panel)}
.hero img.sized{aspect-ratio:auto;max-height:80vh;object-fit:contain}
.hero figcaption{padding-top:.5rem;color:var(--muted);font-size:.9375rem}
.credit{white-space:nowrap}
.prose img{display:block;margin:1rem 0;width:100%;aspect-ratio:16/9;object-fit:contain;background:var(--panel)}
.prose blockquote{margin:1rem 0;padding-left:1rem;border-left:4px solid var(--rule)}
.prose pre{overflow-x:auto;padding:1rem;background:var(--panel)}
.prose table{display:block;overflow-x:auto;border-collapse:collapse}
.prose th,.prose td{padding:.25rem .5rem;border:1px solid var(--rule)}
.source-credit{font-weight:700}
.corrections{margin:1.5rem 0 0;padding:1rem 1.25rem;border-left:4px solid var(--brand);background:var(--panel)}
.corrections h2{font-size:1.125rem}
.corrections ul{margin:0;padding:0;list-style:none}
.corrections li+li{margin-top:.5rem}
.tags{display:flex;flex-wrap:wrap;gap:.5rem;margin:1.5rem 0 0;padding:0;list-style:none}
.tags li{padding:.125rem .5rem;border:1px solid var(--rule);border-radius:1rem;font-size:.875rem}
.headlines{margin:0;padding:0;list-style:none}
.headlines>li{padding:.75rem 0;border-top:1px solid var(--rule)}
.headlines h2,.headlines h3{font-size:1.125rem;margin:0 0 .25rem}
.headline a{color:inherit;text-decoration:none}
.headline a:hover{text-decoration:underline}
.headlines p{margin:0 0 .25rem}
.headlines p{max-width:70ch}
.tagline{color:var(--muted)}
.lead-story{margin-bottom:1.5rem}
.lead-story .meta{margin:0}
.lead-story h2{font-size:clamp(1.625rem,1.1rem + 1.8vw,2.375rem)}
.lead-picture{margin:0 0 .75rem}
.text-only.lead-story{padding:1.25rem;border-top:4px solid var(--brand);background:var(--panel)}
.kicker{padding-bottom:.25rem;border-bottom:3px solid var(--brand);font-size:1.0625rem;text-transform:uppercase;letter-spacing:.06em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,12rem),1fr));gap:1.25rem;margin:0 0 1.5rem;padding:0;list-style:none}
.cards.single{grid-template-columns:1fr}
.card .thumb{margin-bottom:.5rem}
.card h2,.card h3{font-size:1.125rem;margin:0 0 .25rem}
.card p{margin:0 0 .25rem}
.text-only.card{padding:.75rem 1rem;background:var(--panel)}
@media (max-width:40rem){.card:not(.text-only){display:grid;grid-template-columns:7rem minmax(0,1fr);gap:0 .75rem;align-items:start}.card .thumb{grid-row:span 3;margin:0}}
@media (min-width:64rem){.top{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:2.5rem;align-items:start}.columns{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:2.5rem;align-items:start}.columns .latest{margin-top:0}}
.section-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr));gap:0 2.5rem}
.section-group{margin-bottom:2rem}
.more{margin:.5rem 0 0;font-weight:600}
.section-group>h2{padding-bottom:.25rem;border-bottom:3px solid var(--brand)}
.section-group>h2 a{color:inherit;text-decoration:none}
.latest{margin-top:2.5rem;padding:1rem 1.25rem;background:var(--panel)}
.latest ol{margin:0;padding-left:1.25rem}
.latest li{margin:.5rem 0}
.latest time{display:block;color:var(--muted);font-size:.875rem}
.site-footer{border-top:1px solid var(--rule);color:var(--muted);font-size:.9375rem}
.site-footer .page{padding-top:1rem;padding-bottom:1.5rem}
.site-footer a{display:inline-block;padding:.25rem 0}
@media (min-width:64rem){.with-aside{display:grid;grid-template-columns:minmax(0,70ch) minmax(16rem,1fr);gap:3rem;align-items:start}.with-aside .latest{margin-top:0}}
`.trim();

export const STYLESHEET_HASH = cspHash(STYLESHEET);
