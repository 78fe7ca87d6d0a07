// Progressive enhancement for the server-rendered portal. Every page works without this file.
"use strict";
