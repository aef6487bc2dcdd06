using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OpenAI;

namespace Campaigns.Core.Personalization;

/// <summary>
/// The configured language model (<c>ConnectionStrings:ai</c>), or none. The API and the worker register it the same way
/// (<see cref="AddPersonalization"/>): an <see cref="IChatClient"/> with OpenTelemetry (a span per call with its token
/// counts) and logging, only when a connection string is given.
/// </summary>
public sealed class PersonalizationModel(IChatClient? client)
{
    /// <summary>The spans of the model calls (GenAI semantic conventions), registered in ServiceDefaults' tracing.</summary>
    public const string ActivitySourceName = "Campaigns.Personalization";

    public IChatClient? Client { get; } = client;

    public bool IsConfigured => Client is not null;
}

public static class PersonalizationRegistration
{
    public static IHostApplicationBuilder AddPersonalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PersonalizationOptions>().BindConfiguration(PersonalizationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PersonalizationMetrics>();
        builder.Services.AddSingleton<MessagePersonalizer>();
        var connection = AiConnection.Parse(builder.Configuration.GetConnectionString(AiConnection.Name));
        if (connection is null)
        {
            builder.Services.AddSingleton(new PersonalizationModel(null));
            return builder;
        }
        builder.Services.AddChatClient(_ => Create(connection))
            .UseOpenTelemetry(sourceName: PersonalizationModel.ActivitySourceName)
            .UseLogging();
        builder.Services.AddSingleton(services => new PersonalizationModel(services.GetRequiredService<IChatClient>()));
        return builder;
    }

    private static IChatClient Create(AiConnection connection)
    {
        if (connection.Provider == AiConnection.Ollama)
        {
            return new OllamaApiClient(connection.Endpoint, connection.Model);
        }
        var options = new OpenAIClientOptions
        {
            Endpoint = connection.Endpoint,
            // One try: a failed or slow call falls back to the plain rendering (Personalization:Timeout), never waits for retries.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        // A local server may take no key; the client insists on one.
        var key = new ApiKeyCredential(connection.Key ?? "none");
        return new OpenAIClient(key, options).GetChatClient(connection.Model).AsIChatClient();
    }
}
