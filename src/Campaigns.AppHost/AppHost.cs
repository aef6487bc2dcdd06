using Campaigns.AppHost;
using Campaigns.AppHost.Infrastructure;
using Campaigns.AppHost.Providers;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = InfrastructureOptions.From(builder);
var db = builder.AddCampaignsDatabase(infrastructure, serverName: "postgres", databaseName: "campaignsdb");
// One Redis, or with Infrastructure:RedisCluster a local Redis Cluster behind the same connection string name.
var redis = builder.AddCampaignsRedis(infrastructure, "redis");

// Owns the schema: applies the migrations (and demo data in Development), then exits. The services
// start once it has exited cleanly, so each of them can start alone on a fresh database.
var migrations = builder.AddProject<Projects.Campaigns_MigrationService>(MigrationsResource.Name)
    .WithReference(db).WaitFor(db)
    .WithFastTelemetryShutdown();

// Clients present this key (X-Api-Key); find it in the dashboard (api → environment) or in the data folder.
// Published, it is a secret parameter the deployment asks for: the operator issues it to the clients.
var apiKey = builder.ExecutionContext.IsPublishMode
    ? builder.AddParameter("api-key", secret: true)
    : builder.AddParameter("api-key", infrastructure.PasswordFor("api-key"), secret: true);

var api = builder.AddProject<Projects.Campaigns_Api>("api")
    .WithEnvironment("Auth__ApiKeys__0", apiKey)
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithFastTelemetryShutdown();

// Read replica (issue 17): the API's list reads go to campaignsdb-replica when there is one; writes, reads by id and the
// worker stay on the primary. With Infrastructure:PostgresReplica a local streaming standby (run mode only); else a
// replica's connection string when one is configured (a deployment's: docs/deploy.md).
if (infrastructure.PostgresReplica && builder.ExecutionContext.IsRunMode)
{
    var replica = builder.AddCampaignsDatabaseReplica(infrastructure, db, serverName: "postgres-replica", name: "campaignsdb-replica");
    api.WithReference(replica).WaitFor(replica);
}
else if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("campaignsdb-replica")))
{
    api.WithReference(builder.AddConnectionString("campaignsdb-replica"));
}

var worker = builder.AddProject<Projects.Campaigns_Worker>("worker")
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("Worker:Replicas", 1))
    .WithFastTelemetryShutdown();
// Short links (GET /l/{code}) and, published, the webhooks' address: the API's own endpoint when running,
// the deployment's public host when published (the public-base-url parameter).
builder.WithPublicAddress(api, worker);

// The send queue's shards (Queue:Shards, default 1): the API publishes on them and every worker reads them all.
if (builder.Configuration["Queue:Shards"] is { Length: > 0 } shards)
{
    api.WithEnvironment("Queue__Shards", shards);
    worker.WithEnvironment("Queue__Shards", shards);
}

// AI personalization: a language model only when one is configured (ConnectionStrings:ai, e.g.
// "Endpoint=http://localhost:11434;Model=llama3.2;Provider=ollama"; README "AI personalization"); none by default.
if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("ai")))
{
    var ai = builder.AddConnectionString("ai");
    api.WithReference(ai);
    worker.WithReference(ai);
}

// Providers: the simulator (on in appsettings.json, so ./eng/run.sh shows send → provider → receipt),
// else the accounts this configuration names, else the worker's in-process mock. The simulator is a
// development and test aid, never published: a deployment gets the configured accounts (docs/deploy.md).
if (builder.ExecutionContext.IsRunMode && builder.Configuration.GetValue<bool>(SimulatedProviders.Switch))
{
    builder.AddProviderSimulator(infrastructure, api, worker);
}
else
{
    builder.PassProviderSettings(api, worker);
}

builder.Build().Run();
