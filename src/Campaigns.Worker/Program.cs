using Campaigns.Worker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb");
builder.AddRedisClient("redis");
builder.AddWorkerOptions();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
