// Marks the page as JavaScript-enabled and starts the NHS.UK frontend components.
// A static module (never an inline script) so the Content-Security-Policy can forbid inline scripts.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();
