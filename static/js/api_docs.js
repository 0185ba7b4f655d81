// /api/docs/: Swagger UI (loaded just before, from our static files) on the API's OpenAPI schema.
const config = JSON.parse(document.getElementById("api-docs-config").textContent);

window.SwaggerUIBundle({
  url: config.url,
  dom_id: "#swagger-ui",
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  requestInterceptor(request) {
    // Session authentication: a write needs the CSRF token; reads don't, and other hosts never get it.
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers[config.csrfHeader] = config.csrfToken;
    }
    return request;
  },
  ...config.settings,
});
