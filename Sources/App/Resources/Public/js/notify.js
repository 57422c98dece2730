// Live unread count of the staff inbox (server-sent events). Without JavaScript the count is
// still right on every page load.
(function () {
  var badge = document.getElementById('unread');
  if (!badge || !window.EventSource) return;
  var source = new EventSource('/admin/notifications/stream');
  source.addEventListener('unread', function (e) {
    badge.textContent = e.data;
    badge.hidden = e.data === '0';
    badge.setAttribute('aria-label', '未读通知 ' + e.data + ' 条');
  });
})();
