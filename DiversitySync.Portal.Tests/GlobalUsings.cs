// What nearly every test uses: the app's layers, its database, the HTTP client's types and the test helpers.
global using System.Net;
global using System.Text.Json;
global using DiversitySync.Portal.Audit;
global using DiversitySync.Portal.Core;
global using DiversitySync.Portal.Data;
global using DiversitySync.Portal.Keys;
global using DiversitySync.Portal.Staff;
global using DiversitySync.Portal.Tests.Infrastructure;
global using DiversitySync.Portal.Webhooks;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.Extensions.DependencyInjection;
