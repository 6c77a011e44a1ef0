// The ALTCHA widget's "external" build bundles no workers (so it needs no blob: or
// inline code under a strict CSP); register the PBKDF2 worker it solves our challenges
// with, from the URL the widget's template gives (static files may be hashed).
const widget = document.querySelector("altcha-widget[data-pbkdf2-worker]");
if (widget && globalThis.$altcha) {
    const workerUrl = widget.dataset.pbkdf2Worker;
    for (const algorithm of ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"]) {
        globalThis.$altcha.algorithms.set(algorithm, () => new Worker(workerUrl));
    }
}
