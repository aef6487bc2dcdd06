using Campaigns.AppHost;
using Microsoft.Extensions.Configuration;
using Campaigns.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = InfrastructureOptions.From(builder);
var db = builder.AddCampaignsDatabase(infrastructure, serverName: "postgres", databaseName: "campaignsdb");
var redis = builder.AddCampaignsRedis(infrastructure, "redis");

// Clients present this key (X-Api-Key); find it in the dashboard (api → environment) or in the data folder.
var apiKey = builder.AddParameter("api-key", infrastructure.PasswordFor("api-key"), secret: true);

var api = builder.AddProject<Projects.Campaigns_Api>("api")
    .WithEnvironment("Auth__ApiKeys__0", apiKey)
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithFastTelemetryShutdown();

// The API owns the schema: the worker starts once it has migrated.
builder.AddProject<Projects.Campaigns_Worker>("worker")
    .WithReference(db).WaitFor(db)
    .WithReference(redis).WaitFor(redis)
    .WaitFor(api)
    .WithHttpHealthCheck("/health")
    .WithReplicas(builder.Configuration.GetValue("Worker:Replicas", 1))
    .WithFastTelemetryShutdown();

builder.Build().Run();
