using Campaigns.Api.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb");
builder.AddRedisClient("redis");

builder.Services.AddSingleton<DatabaseMigrator>();
builder.Services.AddSingleton<DemoDataSeeder>();

var app = builder.Build();

await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
if (app.Environment.IsDevelopment() && app.Configuration.GetValue("DemoData:Enabled", true))
{
    await app.Services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(app.Lifetime.ApplicationStopping);
}

app.MapDefaultEndpoints();

app.Run();

