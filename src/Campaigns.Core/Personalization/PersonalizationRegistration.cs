using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OllamaSharp;
using OpenAI;

namespace Campaigns.Core.Personalization;

/// <summary>
/// How the API and the worker get the model: <c>ConnectionStrings:ai</c> parsed (<see cref="AiConnection"/>) into an OpenAI-compatible
/// or Ollama <see cref="IChatClient"/>, wrapped with OpenTelemetry and logging; the options, metrics and writer beside it.
/// </summary>
public static class PersonalizationRegistration
{
    public static IHostApplicationBuilder AddPersonalization(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PersonalizationOptions>().BindConfiguration(PersonalizationOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PersonalizationMetrics>();
        builder.Services.AddSingleton<ModelCalls>();
        builder.Services.AddSingleton<MessagePersonalizer>();
        builder.Services.AddSingleton<Translation.TemplateTranslator>();
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
