// Live unread count of the staff inbox (server-sent events). Without JavaScript the count is
// still right on every page load. The stream is open only while the tab is visible: browsers
// allow six connections per site, and a duty officer keeps many tabs open.
(function () {
  var badge = document.getElementById('unread');
  if (!badge || !window.EventSource) return;
  var source = null;
  function show(n) {
    badge.textContent = n;
    badge.hidden = n === '0';
    badge.setAttribute('aria-label', '未读通知 ' + n + ' 条');
  }
  function open() {
    if (source) return;
    source = new EventSource('/admin/notifications/stream');
    source.addEventListener('unread', function (e) { show(e.data); });
  }
  function close() {
    if (source) { source.close(); source = null; }
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') { open(); } else { close(); }
  });
  window.addEventListener('pagehide', close);
  if (document.visibilityState === 'visible') open();
})();
