// A visible countdown for timed quiz attempts. The server enforces the limit; this only
// shows the time left and submits the answers given so far when it runs out.
(function () {
    "use strict";

    function format(seconds) {
        var minutes = Math.floor(seconds / 60);
        var rest = seconds % 60;
        return minutes + ":" + (rest < 10 ? "0" : "") + rest;
    }

    function start(timer) {
        // Seconds from the server, not its clock time: the learner's clock may be off.
        var deadline = Date.now() + 1000 * parseInt(timer.getAttribute("data-seconds-left"), 10);
        var left = timer.querySelector("[data-quiz-timer-left]");
        var form = document.querySelector("[data-quiz-form]");
        if (isNaN(deadline) || !left) return;
        left.hidden = false;
        var submitted = false;

        function tick() {
            var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
            left.textContent = "(" + format(seconds) + " left)";
            timer.classList.toggle("quiz-timer--low", seconds <= 60);
            if (seconds === 0 && form && !submitted) {
                submitted = true;
                var allow = document.createElement("input");
                allow.type = "hidden";
                allow.name = "allow_unanswered";
                allow.value = "1";
                form.appendChild(allow);
                form.submit();
                return;
            }
            window.setTimeout(tick, 1000);
        }
        tick();
    }

    document.addEventListener("DOMContentLoaded", function () {
        var timer = document.querySelector("[data-quiz-timer]");
        if (timer) start(timer);
        var errors = document.getElementById("quiz-errors");
        if (errors) errors.focus();
    });
})();
