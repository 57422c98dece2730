// Keeps the incident clocks counting down between page loads (SPEC §5). The server renders the
// same text, so without JavaScript every clock is right as of the page's loading; pages never
// reload themselves, which would lose what is being typed into their forms.
(function () {
  var clocks = document.querySelectorAll('.clock[data-seconds-left]');
  if (!clocks.length) return;
  var loaded = Date.now();

  // Same wording as ClockRow.countdown: overdue minutes round up, so overdue never reads 0分.
  function countdown(s) {
    var minutes = s < 0 ? Math.floor((-s + 59) / 60) : Math.floor(s / 60);
    return (s < 0 ? '已逾期 ' : '剩余 ') + Math.floor(minutes / 60) + '小时' + (minutes % 60) + '分';
  }

  function tick() {
    var passed = Math.floor((Date.now() - loaded) / 1000);
    for (var i = 0; i < clocks.length; i++) {
      var el = clocks[i];
      var left = parseInt(el.getAttribute('data-seconds-left'), 10) - passed;
      if (isNaN(left)) continue;
      var status = left < 0 ? 'red' : left <= 3600 ? 'amber' : 'normal';
      if (!el.classList.contains('clock-' + status)) {
        el.classList.remove('clock-normal', 'clock-amber', 'clock-red');
        el.classList.add('clock-' + status);
      }
      var text = el.querySelector('.clock-left');
      var next = countdown(left);
      if (text && text.textContent !== next) text.textContent = next;
      var flag = el.querySelector('.clock-flag');
      if (flag) {
        flag.textContent = status === 'amber' ? '不足1小时' : '';
        flag.hidden = status !== 'amber';
      }
    }
  }
  tick();
  setInterval(tick, 1000);
})();
