// Stand-in for what VS Code gives a webview: acquireVsCodeApi (recording what the page posts,
// keeping its saved state), the theme's CSS variables and body class, and a way for the test
// to post host messages (window.postMessage: a real, structured-cloned MessageEvent).
// Served by run.mjs with the THEMES placeholder filled in; loaded before the dashboard bundle.
(() => {
  const THEMES = __THEMES__;
  const posted = [];
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push(
      `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || 0})`,
    );
  });
  let state = window.__initialState;
  let acquired = 0;
  window.acquireVsCodeApi = () => {
    if (acquired++) throw new Error('acquireVsCodeApi may be called only once');
    return {
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => {
        state = JSON.parse(JSON.stringify(s));
      },
    };
  };
  const setTheme = (kind) => {
    const theme = THEMES[kind];
    if (!theme) throw new Error(`no theme ${kind}`);
    const style = document.documentElement.style;
    for (const name of Object.keys(THEMES.light.vars)) style.removeProperty(name);
    for (const [name, value] of Object.entries(theme.vars)) style.setProperty(name, value);
    document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
    document.body.classList.add(theme.bodyClass);
    document.body.dataset.vscodeThemeKind = theme.bodyClass;
  };
  window.__test = {
    posted,
    violations,
    state: () => state,
    hostPost: (m) => window.postMessage(m, '*'),
    setTheme,
  };
  setTheme(new URLSearchParams(location.search).get('theme') || 'light');
})();
