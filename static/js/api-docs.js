/* The API's documentation page (/api/v1/docs/): Swagger UI (vendored) on the OpenAPI schema
   named by the container's data-schema-url. No remote request: no validator badge, no
   "try it out" against another server. */
(function () {
  "use strict";
  var container = document.getElementById("api-docs");
  if (!container || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: container.getAttribute("data-schema-url"),
    domNode: container,
    deepLinking: true,
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
    docExpansion: "list",
    supportedSubmitMethods: ["get", "head"],
  });
})();
