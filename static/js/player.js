/*
 * Lectern video player: encrypted HLS through hls.js (served from our static files), or
 * the browser's own HLS where hls.js cannot run (iOS Safari). No framework.
 *
 * Flow: pressing play POSTs the device id to the playback view, which answers with a
 * signed master-playlist URL (or a refusal the player shows in the video area). Every
 * URL that can expire is renewed on its own: a 403/410 on a playlist, key or segment
 * makes the player ask the playback view again with `refresh` (which never takes
 * playback from another device), fetch the fresh media playlist, and retry the same
 * request with its new URL, so a paused lecture resumes where it was.
 *
 * Heartbeats (learning.views.heartbeat): every 15 s while playing, and on pause, ended, seeking and
 * pagehide (sendBeacon), with the ranges actually played since the last beat.
 *
 * Engine: the browser's own HLS where it has one (Safari, iOS, Android, recent Chrome),
 * else hls.js, loaded only then. `data-engine="hlsjs"|"native"` on the player element,
 * `?player=` in the page URL or `window.LECTERN_PLAYER_ENGINE` force an engine (the
 * browser test drives both).
 */
(function () {
    "use strict";

    var HEARTBEAT_MS = 15000;
    var SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
    var WATERMARK_MOVE_MS = 7000;

    function fmt(seconds) {
        if (!isFinite(seconds) || seconds < 0) seconds = 0;
        var s = Math.floor(seconds % 60), m = Math.floor(seconds / 60) % 60, h = Math.floor(seconds / 3600);
        var mm = h ? String(m).padStart(2, "0") : String(m);
        return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
    }

    function deviceId() {
        var id = null;
        try { id = window.localStorage.getItem("lectern.device"); } catch (e) { /* private mode */ }
        if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
            var bytes = new Uint8Array(16);
            window.crypto.getRandomValues(bytes);
            id = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
            try { window.localStorage.setItem("lectern.device", id); } catch (e) { /* keep it for this page */ }
        }
        return id;
    }

    /* The last two path parts of a segment URL ("720p/seg_00012.ts"), whatever form the
       signed URL has (Django view, nginx secure_link, S3 presigned). */
    function segmentTail(url) {
        var path = url.split("?")[0].split("#")[0].split("/");
        return path.slice(-2).join("/");
    }

    function loadScript(src) {
        return new Promise(function (resolve, reject) {
            if (window.Hls) return resolve(window.Hls);
            var s = document.createElement("script");
            s.src = src;
            s.onload = function () { resolve(window.Hls); };
            s.onerror = function () { reject(new Error("hls.js did not load")); };
            document.head.appendChild(s);
        });
    }

    function parseStoryboard(text, baseUrl) {
        var cues = [], blocks = text.replace(/\r/g, "").split(/\n\n+/);
        blocks.forEach(function (block) {
            var m = block.match(/(\d+:)?(\d+):(\d+(?:\.\d+)?)\s+-->\s+(\d+:)?(\d+):(\d+(?:\.\d+)?)\s*\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)/);
            if (!m) return;
            var start = (parseInt(m[1] || "0", 10) * 3600) + parseInt(m[2], 10) * 60 + parseFloat(m[3]);
            var end = (parseInt(m[4] || "0", 10) * 3600) + parseInt(m[5], 10) * 60 + parseFloat(m[6]);
            cues.push({ start: start, end: end, url: new URL(m[7], baseUrl).href,
                x: +m[8], y: +m[9], w: +m[10], h: +m[11] });
        });
        return cues;
    }

    function Player(root) {
        this.root = root;
        this.video = root.querySelector("video");
        this.stage = root.querySelector(".player__stage");
        this.controls = root.querySelector(".player__controls");
        this.message = root.querySelector(".player__message");
        this.status = root.querySelector("[data-status]");
        this.watermark = root.querySelector(".player__watermark");
        this.spinner = root.querySelector(".player__spinner");
        this.preview = root.querySelector(".player__preview");
        this.seek = root.querySelector('[data-control="seek"]');
        this.captionsSelect = root.querySelector('[data-control="captions"]');
        this.speedSelect = root.querySelector('[data-control="speed"]');
        this.playUrl = root.dataset.playUrl;
        this.csrf = root.dataset.csrf;
        this.resumeAt = parseFloat(root.dataset.resumeAt || "0") || 0;
        this.heartbeatUrl = root.dataset.heartbeatUrl || "";
        this.heartbeatToken = root.dataset.heartbeatToken || "";
        this.device = deviceId();
        this.engine = null;
        this.hls = null;
        this.data = null;
        this.fresh = null;         // {token, keyUrl, segments: {tail: url}} after a refresh
        this.refreshing = null;    // the refresh in flight, shared by concurrent 403s
        this.ranges = [];
        this.lastTime = null;
        this.lastCaption = "";
        this.storyboard = [];
        this.started = false;
        this.bind();
        root.player = this;
    }

    Player.prototype.say = function (text) {
        this.status.textContent = text;
    };

    Player.prototype.bind = function () {
        var self = this, v = this.video;
        this.root.addEventListener("click", function (event) {
            var action = event.target.closest("[data-action]");
            if (action && self.root.contains(action)) self.act(action.dataset.action);
        });
        this.stage.addEventListener("contextmenu", function (event) { event.preventDefault(); });
        v.addEventListener("click", function () { self.act("toggle"); });
        this.root.addEventListener("keydown", function (event) { self.onKey(event); });
        this.speedSelect.addEventListener("change", function () {
            v.playbackRate = parseFloat(self.speedSelect.value);
            self.say("Speed " + v.playbackRate + "×");
        });
        this.captionsSelect.addEventListener("change", function () { self.setCaptions(self.captionsSelect.value); });
        this.seek.addEventListener("input", function () {
            v.currentTime = parseFloat(self.seek.value);
            self.showPreview(parseFloat(self.seek.value), null);
        });
        this.seek.addEventListener("change", function () { self.hidePreview(); });
        this.seek.addEventListener("pointermove", function (event) {
            var rect = self.seek.getBoundingClientRect();
            var ratio = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
            self.showPreview(ratio * (v.duration || 0), event.clientX - rect.left);
        });
        this.seek.addEventListener("pointerleave", function () { self.hidePreview(); });
        this.seek.addEventListener("blur", function () { self.hidePreview(); });

        v.addEventListener("play", function () { self.root.classList.add("is-playing"); self.updateButtons(); });
        v.addEventListener("pause", function () {
            self.root.classList.remove("is-playing"); self.updateButtons(); self.beat("pause");
        });
        v.addEventListener("ended", function () { self.beat("ended"); self.say("Video ended"); });
        v.addEventListener("seeking", function () { self.lastTime = null; self.beat("seeking"); });
        v.addEventListener("waiting", function () { self.spinner.hidden = false; });
        v.addEventListener("playing", function () { self.spinner.hidden = true; self.hideMessage(); });
        v.addEventListener("canplay", function () { self.spinner.hidden = true; });
        v.addEventListener("timeupdate", function () { self.onTime(); });
        v.addEventListener("durationchange", function () {
            self.seek.max = String(v.duration || 0);
            self.root.querySelector('[data-text="duration"]').textContent = fmt(v.duration);
        });
        v.addEventListener("volumechange", function () { self.updateButtons(); });
        if (v.textTracks && v.textTracks.addEventListener) {
            v.textTracks.addEventListener("addtrack", function () { setTimeout(function () { self.applyCaptions(); }, 0); });
        }
        v.addEventListener("error", function () { self.onNativeError(); });
        window.addEventListener("pagehide", function () { self.beat("pagehide", true); });
        document.addEventListener("fullscreenchange", function () {
            self.root.classList.toggle("is-fullscreen", document.fullscreenElement === self.root);
        });
    };

    Player.prototype.act = function (action) {
        var v = this.video;
        if (action === "start") return this.start(false);
        if (!this.started) return action === "toggle" ? this.start(false) : undefined;
        if (action === "toggle") { if (v.paused || v.ended) v.play(); else v.pause(); }
        else if (action === "back") this.skip(-10);
        else if (action === "forward") this.skip(10);
        else if (action === "mute") { v.muted = !v.muted; this.say(v.muted ? "Muted" : "Sound on"); }
        else if (action === "fullscreen") this.toggleFullscreen();
        else if (action === "watch-here") { this.hideMessage(); this.start(false, true); }
        else if (action === "retry") { this.hideMessage(); this.start(false, true); }
    };

    Player.prototype.skip = function (seconds) {
        var v = this.video;
        v.currentTime = Math.min(Math.max(v.currentTime + seconds, 0), v.duration || v.currentTime + seconds);
        this.say((seconds < 0 ? "Back " : "Forward ") + Math.abs(seconds) + " seconds, at " + fmt(v.currentTime));
    };

    Player.prototype.toggleFullscreen = function () {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (this.root.requestFullscreen) this.root.requestFullscreen();
        else if (this.video.webkitEnterFullscreen) this.video.webkitEnterFullscreen();
    };

    Player.prototype.onKey = function (event) {
        if (event.altKey || event.ctrlKey || event.metaKey) return;
        var tag = (event.target.tagName || "").toLowerCase();
        if (tag === "select" || tag === "textarea" || (tag === "input" && event.target.type !== "range")) return;
        if (tag === "button" && (event.key === " " || event.key === "Enter")) return;  // the button's own click
        var onRange = tag === "input";
        var handled = true;
        switch (event.key) {
            case " ": case "k": case "K": this.act("toggle"); break;
            case "j": case "J": this.started && this.skip(-10); break;
            case "l": case "L": this.started && this.skip(10); break;
            case "ArrowLeft": if (onRange) { handled = false; break; } this.started && this.skip(-5); break;
            case "ArrowRight": if (onRange) { handled = false; break; } this.started && this.skip(5); break;
            case "f": case "F": this.act("fullscreen"); break;
            case "c": case "C": this.toggleCaptions(); break;
            case "m": case "M": this.act("mute"); break;
            default: handled = false;
        }
        if (handled) event.preventDefault();
    };

    Player.prototype.updateButtons = function () {
        var v = this.video, toggle = this.root.querySelector('[data-action="toggle"]');
        var mute = this.root.querySelector('[data-action="mute"]');
        toggle.setAttribute("aria-label", v.paused ? "Play" : "Pause");
        mute.setAttribute("aria-pressed", v.muted ? "true" : "false");
        mute.setAttribute("aria-label", v.muted ? "Unmute" : "Mute");
    };

    /* -- starting and refreshing ---------------------------------------------------- */

    Player.prototype.post = function (refresh) {
        return fetch(this.playUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
            body: JSON.stringify({ device: this.device, refresh: !!refresh }),
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (body) {
                if (!response.ok) {
                    var error = (body && body.error) || { code: "http_" + response.status,
                        message: "The video could not be started (error " + response.status + ")." };
                    throw Object.assign(new Error(error.message), { refusal: error });
                }
                return body;
            });
        });
    };

    Player.prototype.start = function (refresh, takeOver) {
        var self = this;
        if (this.starting) return this.starting;
        this.say("Loading video…");
        this.spinner.hidden = false;
        this.starting = this.post(refresh && !takeOver).then(function (data) {
            self.data = data;
            self.fresh = null;
            self.started = true;
            self.root.querySelector(".player__big-play").hidden = true;
            self.controls.hidden = false;
            self.root.classList.add("is-started");
            self.showWatermark(data.watermark);
            self.setupCaptions(data.captions || []);
            self.loadStoryboard(data.storyboard_url);
            if (data.device_message) self.say(data.device_message);
            return self.attach(data);
        }).catch(function (error) {
            self.spinner.hidden = true;
            if (!error.refusal && window.console) console.error("player:", error);
            self.showRefusal(error.refusal || { code: "network", message: "The video could not be loaded. Check your connection and try again." });
        }).finally(function () { self.starting = null; });
        return this.starting;
    };

    Player.prototype.chooseEngine = function () {
        var forced = this.root.dataset.engine || new URLSearchParams(window.location.search).get("player")
            || window.LECTERN_PLAYER_ENGINE;
        if (forced === "native") return Promise.resolve(forced);
        if (forced === "hlsjs") return loadScript(this.root.dataset.hlsSrc).then(function () { return "hlsjs"; });
        if (this.video.canPlayType("application/vnd.apple.mpegurl")) return Promise.resolve("native");
        return loadScript(this.root.dataset.hlsSrc).then(function (Hls) {
            return Hls && Hls.isSupported() ? "hlsjs" : "none";
        }, function () { return "none"; });
    };

    Player.prototype.attach = function (data) {
        var self = this, v = this.video;
        var startAt = this.engine ? v.currentTime : this.resumeAt;
        var wasPlaying = this.engine ? !v.paused : true;
        return this.chooseEngine().then(function (engine) {
            self.engine = engine;
            self.root.dataset.activeEngine = engine;
            if (engine === "none") {
                self.showRefusal({ code: "unsupported", message: "This browser cannot play this video. Try a current version of Chrome, Firefox, Edge or Safari." });
                return;
            }
            if (engine === "hlsjs") return self.attachHlsJs(data, startAt);
            return self.attachNative(data, startAt, wasPlaying);
        });
    };

    Player.prototype.attachHlsJs = function (data, startAt) {
        var self = this, Hls = window.Hls;
        if (this.hls) { this.hls.destroy(); this.hls = null; }
        var Base = Hls.DefaultConfig.loader;
        /* A loader that swaps in renewed URLs and, on a 403/410, renews and retries once. */
        function RenewingLoader(config) { this.inner = new Base(config); this.hlsConfig = config; this.stats = this.inner.stats; this.context = null; }
        RenewingLoader.prototype.load = function (context, config, callbacks) {
            var loader = this;
            context.url = self.freshUrl(context.url);
            loader.context = context;
            var wrapped = Object.assign({}, callbacks, {
                onError: function (error, ctx, details, stats) {
                    if ((error.code === 403 || error.code === 410) && !ctx.lecternRenewed) {
                        ctx.lecternRenewed = true;
                        self.renew(ctx.url).then(function () {
                            ctx.url = self.freshUrl(ctx.url);
                            loader.inner.destroy();
                            loader.inner = new Base(loader.hlsConfig);
                            loader.stats = loader.inner.stats;
                            loader.inner.load(ctx, config, wrapped);
                        }, function (refusal) {
                            self.showRefusal(refusal);
                            callbacks.onError(error, ctx, details, stats);
                        });
                        return;
                    }
                    callbacks.onError(error, ctx, details, stats);
                },
            });
            this.inner.load(context, config, wrapped);
        };
        RenewingLoader.prototype.abort = function () { this.inner.abort(); };
        RenewingLoader.prototype.destroy = function () { this.inner.destroy(); };
        RenewingLoader.prototype.getCacheAge = function () { return this.inner.getCacheAge ? this.inner.getCacheAge() : null; };
        RenewingLoader.prototype.getResponseHeader = function (name) { return this.inner.getResponseHeader ? this.inner.getResponseHeader(name) : null; };

        var hls = new Hls(Object.assign({
            loader: RenewingLoader,
            startPosition: startAt > 1 ? startAt : -1,
            capLevelToPlayerSize: true,
            enableWorker: true,
            renderTextTracksNatively: true,
            subtitleDisplay: true,
        }, window.LECTERN_HLS_CONFIG || {}, { loader: RenewingLoader }));
        this.hls = hls;
        hls.on(Hls.Events.MANIFEST_PARSED, function () {
            self.spinner.hidden = true;
            self.say("Video ready");
            self.applyCaptions();
            self.playSoon();
        });
        hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, function () { self.applyCaptions(); });
        var mediaRecovered = false;
        hls.on(Hls.Events.ERROR, function (_event, info) {
            if (!info.fatal) return;
            if (info.type === Hls.ErrorTypes.MEDIA_ERROR && !mediaRecovered) {
                mediaRecovered = true;
                hls.recoverMediaError();
                return;
            }
            self.explainFailure();
        });
        hls.loadSource(data.master_url);
        hls.attachMedia(this.video);
    };

    Player.prototype.attachNative = function (data, startAt, wasPlaying) {
        var self = this, v = this.video;
        this.nativeErrors = this.nativeErrors || 0;
        v.src = data.master_url;
        v.addEventListener("loadedmetadata", function once() {
            v.removeEventListener("loadedmetadata", once);
            if (startAt > 1) v.currentTime = startAt;
            self.spinner.hidden = true;
            self.say("Video ready");
            self.addNativeTracks(data.captions || []);
            if (wasPlaying) self.playSoon();
        });
        v.load();
    };

    /* Native HLS cannot tell us which request failed: on an error, renew everything and
       reload from where the picture was (at most a few times, then explain). */
    Player.prototype.onNativeError = function () {
        if (this.engine !== "native" || !this.data) return;
        var self = this;
        this.nativeErrors = (this.nativeErrors || 0) + 1;
        if (this.nativeErrors > 3) return this.explainFailure();
        this.post(true).then(function (data) {
            self.data = data;
            self.attachNative(data, self.video.currentTime || self.resumeAt, true);
        }, function (error) { self.showRefusal(error.refusal); });
    };

    Player.prototype.playSoon = function () {
        var self = this, promise = this.video.play();
        if (promise && promise.catch) {
            promise.catch(function () {
                self.say("Press play to start");
                self.updateButtons();
            });
        }
    };

    /* Ask the playback view again (refresh: never takes playback from another device),
       then fetch the media playlist the failing URL belongs to, so segment and key URLs
       can be swapped for fresh ones. Concurrent failures share one renewal. */
    Player.prototype.renew = function (failedUrl) {
        var self = this;
        if (this.refreshing) return this.refreshing;
        this.refreshing = this.post(true).then(function (data) {
            self.data = data;
            var token = data.master_url.split("/")[3];
            var height = self.heightOf(failedUrl);
            var fresh = { token: token, keyUrl: null, segments: {} };
            self.fresh = fresh;
            return fetch(self.freshUrl(data.master_url.replace("master.m3u8", height + "p.m3u8")), { credentials: "same-origin" })
                .then(function (response) {
                    if (!response.ok) throw new Error("playlist " + response.status);
                    return response.text();
                })
                .then(function (text) {
                    text.split("\n").forEach(function (line) {
                        if (line.indexOf("#EXT-X-KEY") === 0) {
                            var m = line.match(/URI="([^"]+)"/);
                            if (m) fresh.keyUrl = m[1];
                        } else if (line && line[0] !== "#") {
                            fresh.segments[segmentTail(line)] = line;
                        }
                    });
                    self.say("Playback renewed");
                });
        }).catch(function (error) {
            throw error.refusal || { code: "network", message: "The video could not be renewed. Reload the page to continue." };
        }).finally(function () { self.refreshing = null; });
        return this.refreshing;
    };

    Player.prototype.heightOf = function (url) {
        var m = url.match(/\/(\d+)p\.m3u8/) || url.split("?")[0].match(/\/(\d+)p\/[^/]+$/);
        if (m) return parseInt(m[1], 10);
        if (this.hls && this.hls.levels && this.hls.levels[this.hls.currentLevel]) {
            return this.hls.levels[this.hls.currentLevel].height;
        }
        return (this.data && this.data.max_height) || 360;
    };

    Player.prototype.freshUrl = function (url) {
        var fresh = this.fresh;
        if (!fresh) return url;
        var path = new URL(url, window.location.href);
        var same = path.origin === window.location.origin;
        if (same && path.pathname.indexOf("/video/hls/") === 0) {
            var parts = path.pathname.split("/");
            parts[3] = fresh.token;
            return parts.join("/") + path.search;
        }
        if (same && path.pathname.indexOf("/video/key/") === 0) return fresh.keyUrl || url;
        return fresh.segments[segmentTail(url)] || url;
    };

    Player.prototype.explainFailure = function () {
        var self = this;
        // Ask the playback view why (ended on another device, membership lapsed …).
        this.post(true).then(function () {
            self.showRefusal({ code: "playback_failed", message: "Playback stopped unexpectedly.", retry: true });
        }, function (error) { self.showRefusal(error.refusal); });
    };

    /* -- messages in the video area ---------------------------------------------------- */

    Player.prototype.showRefusal = function (refusal) {
        refusal = refusal || { code: "error", message: "Something went wrong." };
        if (this.video && !this.video.paused) this.video.pause();
        this.spinner.hidden = true;
        var text = this.message.querySelector(".player__message-text");
        var actions = this.message.querySelector(".player__message-actions");
        text.textContent = refusal.message;
        actions.textContent = "";
        function link(href, label) {
            var a = document.createElement("a");
            a.className = "button button--primary"; a.href = href; a.textContent = label;
            actions.appendChild(a);
        }
        function button(action, label) {
            var b = document.createElement("button");
            b.type = "button"; b.className = "button button--primary"; b.dataset.action = action; b.textContent = label;
            actions.appendChild(b);
        }
        if (refusal.finish_url) link(refusal.finish_url, "Go to “" + refusal.finish_title + "”");
        if (refusal.login_url) link(refusal.login_url, "Log in");
        (refusal.tiers || []).forEach(function (tier) { link(tier.url, "Get " + tier.name); });
        if (!(refusal.tiers || []).length && refusal.upgrade_url) link(refusal.upgrade_url, "See plans");
        if (refusal.code === "device_limit") button("watch-here", "Watch here");
        if (refusal.retry || refusal.code === "network" || refusal.code === "not_ready" || refusal.code === "expired") {
            button("retry", "Try again");
        }
        this.root.dataset.refusal = refusal.code;
        this.message.hidden = false;
        this.root.classList.add("has-message");
    };

    Player.prototype.hideMessage = function () {
        this.message.hidden = true;
        this.root.classList.remove("has-message");
        delete this.root.dataset.refusal;
    };

    /* -- watermark --------------------------------------------------------------------- */

    Player.prototype.showWatermark = function (text) {
        var mark = this.watermark, stage = this.stage;
        mark.textContent = text;
        mark.hidden = false;
        function move() {
            var maxX = Math.max(stage.clientWidth - mark.offsetWidth - 8, 8);
            var maxY = Math.max(stage.clientHeight - mark.offsetHeight - 56, 8);
            mark.style.transform = "translate(" + Math.round(8 + Math.random() * (maxX - 8)) + "px, " +
                Math.round(8 + Math.random() * (maxY - 8)) + "px)";
        }
        move();
        clearInterval(this.watermarkTimer);
        this.watermarkTimer = setInterval(move, WATERMARK_MOVE_MS);
    };

    /* -- captions ------------------------------------------------------------------------ */

    Player.prototype.setupCaptions = function (captions) {
        var select = this.captionsSelect, wrap = this.root.querySelector("[data-captions]");
        this.captions = captions;
        while (select.options.length > 1) select.remove(1);
        captions.forEach(function (c) {
            var option = document.createElement("option");
            option.value = c.language; option.textContent = c.label;
            select.appendChild(option);
        });
        wrap.hidden = !captions.length;
        var chosen = captions.filter(function (c) { return c.default; })[0] || null;
        if (this.lastCaption === "" && this.captionsChosen) chosen = null;
        this.captionLanguage = chosen ? chosen.language : "";
        select.value = this.captionLanguage;
    };

    Player.prototype.setCaptions = function (language) {
        this.captionsChosen = true;
        if (language) this.lastCaption = language;
        this.captionLanguage = language;
        this.captionsSelect.value = language;
        this.applyCaptions();
        this.say(language ? "Captions on" : "Captions off");
    };

    Player.prototype.toggleCaptions = function () {
        if (!this.captions || !this.captions.length) return;
        var next = this.captionLanguage ? "" : (this.lastCaption || this.captions[0].language);
        this.setCaptions(next);
    };

    Player.prototype.applyCaptions = function () {
        var language = this.captionLanguage, hls = this.hls;
        if (hls && hls.subtitleTracks) {
            var index = -1;
            hls.subtitleTracks.forEach(function (t, i) { if (language && t.lang === language) index = i; });
            hls.subtitleDisplay = index >= 0;
            if (hls.subtitleTrack !== index) hls.subtitleTrack = index;
        }
        var tracks = this.video.textTracks;
        for (var i = 0; i < tracks.length; i++) {
            var t = tracks[i];
            if (t.kind !== "subtitles" && t.kind !== "captions") continue;
            t.mode = language && t.language === language ? "showing" : "disabled";
        }
    };

    /* Native HLS may not expose the playlist's SUBTITLES group: then add <track>s. */
    Player.prototype.addNativeTracks = function (captions) {
        var v = this.video, self = this;
        var has = Array.prototype.some.call(v.textTracks, function (t) { return t.kind === "subtitles" || t.kind === "captions"; });
        if (has) return this.applyCaptions();
        Array.prototype.forEach.call(v.querySelectorAll("track"), function (t) { t.remove(); });
        captions.forEach(function (c) {
            var track = document.createElement("track");
            track.kind = "subtitles"; track.srclang = c.language; track.label = c.label;
            track.src = c.url + "?native=1";
            v.appendChild(track);
        });
        setTimeout(function () { self.applyCaptions(); }, 0);
    };

    /* -- seek preview ---------------------------------------------------------------------- */

    Player.prototype.loadStoryboard = function (url) {
        var self = this;
        if (!url) return;
        fetch(url, { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.text() : ""; })
            .then(function (text) { self.storyboard = parseStoryboard(text, new URL(url, window.location.href).href); })
            .catch(function () { self.storyboard = []; });
    };

    Player.prototype.showPreview = function (time, x) {
        var cue = null;
        for (var i = 0; i < this.storyboard.length; i++) {
            if (time >= this.storyboard[i].start && time < this.storyboard[i].end) { cue = this.storyboard[i]; break; }
        }
        var rect = this.seek.getBoundingClientRect(), stageRect = this.stage.getBoundingClientRect();
        if (x === null) x = (time / (this.video.duration || 1)) * rect.width;
        var image = this.preview.querySelector(".player__preview-image");
        if (cue) {
            image.style.width = cue.w + "px";
            image.style.height = cue.h + "px";
            image.style.backgroundImage = "url(\"" + cue.url + "\")";
            image.style.backgroundPosition = (-cue.x) + "px " + (-cue.y) + "px";
            image.hidden = false;
        } else {
            image.hidden = true;
        }
        this.preview.querySelector(".player__preview-time").textContent = fmt(time);
        this.preview.hidden = false;
        var width = this.preview.offsetWidth;
        var left = rect.left - stageRect.left + x - width / 2;
        this.preview.style.left = Math.min(Math.max(left, 4), stageRect.width - width - 4) + "px";
    };

    Player.prototype.hidePreview = function () { this.preview.hidden = true; };

    /* -- time, progress and heartbeats ------------------------------------------------------ */

    Player.prototype.onTime = function () {
        var v = this.video, t = v.currentTime;
        if (!this.seek.matches(":active")) this.seek.value = String(t);
        this.seek.setAttribute("aria-valuetext", fmt(t) + " of " + fmt(v.duration));
        this.root.querySelector('[data-text="current"]').textContent = fmt(t);
        if (!v.paused && !v.seeking && this.lastTime !== null) {
            var delta = t - this.lastTime;
            if (delta > 0 && delta <= 1.5 * Math.max(v.playbackRate, 1)) this.addRange(this.lastTime, t);
        }
        this.lastTime = v.seeking ? null : t;
        var now = Date.now();
        if (!v.paused && (!this.lastBeatAt || now - this.lastBeatAt >= HEARTBEAT_MS)) this.beat("interval");
    };

    Player.prototype.addRange = function (start, end) {
        var ranges = this.ranges, last = ranges[ranges.length - 1];
        if (last && start <= last[1] + 0.5 && start >= last[0]) last[1] = Math.max(last[1], end);
        else ranges.push([start, end]);
    };

    Player.prototype.mergedRanges = function () {
        var sorted = this.ranges.slice().sort(function (a, b) { return a[0] - b[0]; }), out = [];
        sorted.forEach(function (r) {
            var last = out[out.length - 1];
            if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
            else out.push([Math.round(r[0] * 100) / 100, Math.round(r[1] * 100) / 100]);
        });
        return out;
    };

    /* One beat at a time: each carries the token the previous answer gave, so a second
       beat sent before that answer would be a replay. A beat asked for meanwhile is sent
       when the answer arrives (pagehide's beacon cannot wait, it goes at once). */
    Player.prototype.beat = function (why, useBeacon) {
        if (!this.heartbeatUrl || !this.started) return;
        if (this.beatInFlight && !useBeacon) { this.beatPending = why; return; }
        this.lastBeatAt = Date.now();
        var v = this.video, self = this;
        var body = {
            token: this.heartbeatToken,
            ranges: this.mergedRanges(),
            position: v.currentTime || 0,
            duration: isFinite(v.duration) ? v.duration : 0,
            device: this.device,
            csrf: this.csrf,
        };
        this.ranges = [];
        if (useBeacon && navigator.sendBeacon) {
            navigator.sendBeacon(this.heartbeatUrl, new Blob([JSON.stringify(body)], { type: "application/json" }));
            return;
        }
        this.beatInFlight = true;
        var sent = body.ranges;
        fetch(this.heartbeatUrl, {
            method: "POST",
            credentials: "same-origin",
            keepalive: true,
            headers: { "Content-Type": "application/json", "X-CSRFToken": this.csrf },
            body: JSON.stringify(body),
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (data) {
                if (data && data.token) self.heartbeatToken = data.token;
                if (response.ok) {
                    if (data.completed && !self.completedSaid) { self.completedSaid = true; self.say("Lesson completed"); }
                    self.root.dispatchEvent(new CustomEvent("lectern:progress", { detail: data, bubbles: true }));
                    return;
                }
                var error = (data && data.error) || {};
                if (error.code === "device_limit") {
                    self.showRefusal({ code: "device_limit", message: error.message ||
                        "Playback moved to another of your devices. Press “Watch here” to continue on this one." });
                }
            });
        }).catch(function () {
            self.ranges = sent.concat(self.ranges);  // not counted yet: send them again next time
        }).finally(function () {
            self.beatInFlight = false;
            if (self.beatPending) { var next = self.beatPending; self.beatPending = null; self.beat(next); }
        });
    };

    function init() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), function (root) {
            if (!root.player && root.querySelector("video")) new Player(root);
        });
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
})();
