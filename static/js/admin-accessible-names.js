// Names for Wagtail's own editor widgets that have none (filled in once axe has run).
(function () {
  "use strict";
})();
