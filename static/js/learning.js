/* Lesson page: keep the progress bar and the tick in step with the player.
 *
 * The player (templates/components/video_player.html) dispatches a
 * `lectern:progress` event (bubbling to document) with the heartbeat's 200 response as
 * `detail` ({percent, completed, course_percent, …}); this only redraws.
 */
(function () {
    "use strict";
    var section = document.querySelector("[data-lesson-progress]");
    if (!section) return;

    function draw(detail) {
        if (!detail) return;
        var bar = section.querySelector("#lesson-watched");
        if (bar && typeof detail.percent === "number") {
            var percent = Math.max(0, Math.min(100, Math.round(detail.percent)));
            bar.querySelector(".progress__fill").style.width = percent + "%";
            bar.querySelector("[role=progressbar]").setAttribute("aria-valuenow", String(percent));
            bar.querySelector("[data-progress-value]").textContent = percent + "% complete";
        }
        if (detail.completed && !section.classList.contains("lesson-progress--done")) {
            section.classList.add("lesson-progress--done");
            var state = section.querySelector("[data-lesson-state]");
            if (state) state.textContent = "✓ Lesson complete";
        }
    }

    document.addEventListener("lectern:progress", function (event) { draw(event.detail); });
})();
