using Campaigns.Api.Apis;
using Campaigns.Api.Consent;
using Campaigns.Api.Customers;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Faults;
using Campaigns.Api.Json;
using Campaigns.Api.Languages;
using Campaigns.Api.Links;
using Campaigns.Api.OpenApi;
using Campaigns.Api.Security;
using Campaigns.Api.Sending;
using Campaigns.Api.Telemetry;
using Campaigns.Api.Validation;
using Campaigns.Api.Webhooks;
using Campaigns.Core.Data;
using Campaigns.Core.Personalization;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Redis;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb", configureDataSourceBuilder: dataSource => dataSource.UseHotPathSettings().TraceInsideOurSpans());
// Lists and stats read the read replica of ConnectionStrings:campaignsdb-replica when there is one (the primary else).
builder.AddReadReplica();
builder.AddRedisConnection();

builder.Services.AddApiJson();
builder.Services.AddApiProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
// Binding failures (bad JSON, wrong content type) throw, so the exception handler answers them in the envelope.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddApiOpenApi();

builder.Services.AddApiKeyChecks();
builder.Services.AddApiRateLimiting();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Endpoints that take more (send, import) raise their own limit.
    kestrel.Limits.MaxRequestBodySize = RequestLimits.DefaultMaxBodyBytes;
    // Above the API's own request-line and header limits, which answer in the envelope (Kestrel cannot).
    kestrel.Limits.MaxRequestLineSize = RequestLimits.KestrelMaxRequestLineBytes;
    kestrel.Limits.MaxRequestHeadersTotalSize = RequestLimits.KestrelMaxHeaderBytes;
    kestrel.Limits.MaxRequestHeaderCount = RequestLimits.KestrelMaxHeaderCount;
});

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddValidationLimits();
builder.Services.AddCampaignsData();
builder.Services.AddCampaignSending();
builder.Services.AddApiTelemetry();
builder.Services.AddFaultInjection(builder.Configuration);
builder.Services.AddHostedService<Campaigns.Api.Idempotency.IdempotencyCleanup>();
builder.Services.AddHostedService<Campaigns.Api.Data.ListCountsCompactor>();
builder.Services.AddCustomers();
builder.Services.AddLinkTracking();
builder.Services.AddLanguages();
builder.Services.AddRecommendations();
builder.AddWebhooks();
builder.AddConsent();
// AI personalization: the language model of ConnectionStrings:ai, when one is configured (create, update and preview).
builder.AddPersonalization();

var app = builder.Build();

// Before anything can refuse a webhook request, so its span never carries its token.
app.UseWebhookQueryRedaction();
// Before anything that answers, so every answer the pipeline writes carries them.
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestHeadLimits();
// The caller's key first: its identity is the rate budget's partition (its address's without one),
// so every request, console files and refused keys included, spends a budget before anything else.
app.UseCallerIdentity();
app.UseRateLimiter();
// The console (wwwroot): index.html at / and its assets under /console, public (PublicPaths).
app.UseDefaultFiles();
app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache" });
app.UseApiKeyRequirement();

app.MapDefaultEndpoints();
app.MapOpenApi();
// A fresh nonce per page for its inline script (SecurityHeadersMiddleware puts it in the CSP); no
// fonts from Scalar's CDN.
app.MapScalarApiReference(scalar => scalar.WithNonce().DisableDefaultFonts());

app.MapCustomersApi();
app.MapCampaignsApi();
app.MapPreviewApi();
app.MapMessagesApi();
app.MapSendApi();
app.MapControlApi();
app.MapWebhooksApi();
app.MapSuppressionsApi();
app.MapInboundApi();
app.MapLinksApi();

app.Run();
