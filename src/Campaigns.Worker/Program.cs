using Campaigns.Core.Languages;
using Campaigns.Core.Data;
using Campaigns.Core.Personalization;
using Campaigns.Core.Queue;
using Campaigns.Core.Recommendations;
using Campaigns.Core.Redis;
using Campaigns.Worker.Consent;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Faults;
using Campaigns.Worker.Maintenance;
using Campaigns.Worker.Options;
using Campaigns.Worker.Personalization;
using Campaigns.Worker.RateLimiting;
using Campaigns.Worker.Receipts;
using Campaigns.Worker.Sending;
using Campaigns.Worker.Telemetry;

Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("campaignsdb", configureDataSourceBuilder: dataSource => dataSource.UseHotPathSettings().TraceInsideOurSpans());
builder.AddRedisConnection();
builder.AddWorkerOptions();

var shutdown = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = SendJobConsumer.ShutdownBudget(shutdown));

// Senders: each channel's provider chain (the in-process mock by default; and, for tests, the call record).
// Drills only: faults a test graph turns on (before the call record, so a failed batch records no call).
builder.AddFaults();
builder.Services.AddSingleton<Campaigns.Worker.Providers.ProviderCircuitStates>();
builder.AddSenders();

// Delivery.
builder.Services.AddSingleton<ConsumerIdentity>();
builder.Services.AddSendQueue();
// The A/B test's release renders the rest in each recipient's language, by the send's rule.
builder.Services.AddRecipientLanguages();
// ... and fills {recommended_product} with the same recommender as the API's send.
builder.Services.AddRecommendations();
builder.Services.AddSingleton<SendJobStream>();
builder.Services.AddSingleton<SendJobReader>();
builder.Services.AddSingleton<QueueLoss>();
builder.Services.AddSingleton<ClaimStore>();
builder.Services.AddSingleton<LeaseKeeper>();
builder.Services.AddHostedService(services => services.GetRequiredService<LeaseKeeper>());
builder.Services.AddSingleton<JobClaimer>();
builder.Services.AddSingleton<ChannelRateLimiter>();
builder.Services.AddSingleton<SendAdmission>();
// AI personalization: a personalized campaign's messages written by the language model just before their call.
builder.AddPersonalization();
builder.Services.AddSingleton<PersonalizationStore>();
builder.Services.AddSingleton<PersonalizationBudget>();
builder.Services.AddSingleton<PersonalizationStep>();
builder.Services.AddSingleton<SendPipeline>();
builder.Services.AddSingleton<BatchStarter>();
builder.Services.AddSingleton<OutcomeStore>();
builder.Services.AddSingleton<OutcomeFlusher>();
builder.Services.AddHostedService<SendJobConsumer>();

// Receipts the webhooks stored, applied in batches.
builder.AddReceiptApplier();

// The confirmations STOP, START and HELP ask for.
builder.Services.AddSingleton<ConsentReplyStore>();
builder.Services.AddHostedService<ConsentReplySender>();

// Maintenance loops.
builder.Services.AddSingleton<DueMessageStore>();
builder.Services.AddHostedService<RetryDriver>();
builder.Services.AddHostedService<LeaseReconciler>();
builder.Services.AddHostedService<CompletionSweep>();
builder.Services.AddHostedService<ValidityExpirer>();
builder.Services.AddHostedService<CampaignScheduler>();
builder.Services.AddHostedService<AbTestDecider>();
builder.Services.AddHostedService<DeadConsumerSweep>();
builder.Services.AddHostedService<MessagePartitionKeeper>();

// Telemetry.
builder.Services.AddSingleton<QueueState>();
builder.Services.AddSingleton<WorkerMetrics>();
builder.Services.AddHostedService<QueueLagSampler>();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
