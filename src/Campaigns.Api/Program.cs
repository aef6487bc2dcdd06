using Campaigns.Api.Apis;
using Campaigns.Api.Customers;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Json;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb");
builder.AddRedisClient("redis");

builder.Services.AddApiJson();
builder.Services.AddApiProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
// Binding failures (bad JSON, wrong content type) throw, so the exception handler answers them in the envelope.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddOpenApi();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddCampaignsData();
builder.Services.AddCustomers();

var app = builder.Build();

await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("DemoData:Enabled", true))
{
    await app.Services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(app.Lifetime.ApplicationStopping);
}

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapScalarApiReference();

app.MapCustomersApi();
app.MapCampaignsApi();
app.MapPreviewApi();
app.MapMessagesApi();

app.Run();
