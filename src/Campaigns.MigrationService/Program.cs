using Campaigns.MigrationService;

// Applies the schema (and, in Development, demo data) to campaignsdb, gives customers without a time
// zone theirs, and exits; the AppHost starts the API and the workers once it has exited with 0.
var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb");

var connectionString = builder.Configuration.GetConnectionString("campaignsdb")
    ?? throw new InvalidOperationException("ConnectionStrings:campaignsdb is not configured");
builder.Services.AddSingleton(services => new DatabaseMigrator(connectionString, services.GetRequiredService<ILogger<DatabaseMigrator>>()));
builder.Services.AddSingleton<DemoDataSeeder>();
builder.Services.AddSingleton<CustomerTimeZoneBackfill>();
builder.Services.AddHostedService<DatabaseInitializer>();

builder.Build().Run();
