// The two layers everything else stands on: the core vocabulary (actor, access, outcome, paging, helpers) and the
// database (entities, context, the one access reader, audit and outbox writes).
global using DiversitySync.Portal.Core;
global using DiversitySync.Portal.Data;
