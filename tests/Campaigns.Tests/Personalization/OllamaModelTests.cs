using System.Text.Json.Nodes;
using Campaigns.Core.Personalization;
using Campaigns.Core.Templates;
using Campaigns.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.Personalization;

/// <summary>
/// <c>Provider=ollama</c>: the same registration the API and worker use (<see cref="PersonalizationRegistration"/>)
/// builds OllamaSharp's client, which talks to a local server speaking Ollama's <c>POST /api/chat</c>. No graph.
/// </summary>
public sealed class OllamaModelTests
{
    private const string Plain = "Hi Amina! Shoes are 20% off. Reply STOP to opt out.";
    private const string Answer = "Amina, your shoes are 20% off! Reply STOP to opt out.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_ollama_model_writes_the_message()
    {
        var (ollama, address) = await LocalHttpServer.StartAsync(MapOllamaChat, Ct);
        await using var _ = ollama;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ai"] = $"Endpoint={address};Model=llama3.2;Provider=ollama",
        });
        builder.AddPersonalization();
        using var host = builder.Build();

        var written = await host.Services.GetRequiredService<MessagePersonalizer>().WriteAsync(Plain, new TemplateFields(FirstName: "Amina"), "sms",
            new CampaignPersonalization(PersonalizationModes.Ai, "Be warm", null), messageId: null, Ct);

        Assert.Equal(PersonalizedText.Ai(Answer), written);
        Assert.True(host.Services.GetRequiredService<PersonalizationModel>().IsConfigured);
    }

    [Fact]
    public async Task Without_a_connection_string_there_is_no_model_and_every_text_falls_back()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddPersonalization();
        using var host = builder.Build();

        var written = await host.Services.GetRequiredService<MessagePersonalizer>().WriteAsync(Plain, default, "sms",
            new CampaignPersonalization(PersonalizationModes.Ai, "Be warm", null), messageId: null, Ct);

        Assert.False(host.Services.GetRequiredService<PersonalizationModel>().IsConfigured);
        Assert.Equal(PersonalizedText.Fallback(Plain, PersonalizationFallback.NotConfigured), written);
    }

    /// <summary>Ollama's chat endpoint: one final JSON object (a whole answer, or a stream of one line).</summary>
    private static void MapOllamaChat(WebApplication app) =>
        app.MapPost("/api/chat", async (HttpContext context) =>
        {
            var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var answer = new JsonObject
            {
                ["model"] = request?["model"]?.GetValue<string>(),
                ["created_at"] = DateTimeOffset.UtcNow.ToString("O"),
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Answer },
                ["done"] = true,
                ["done_reason"] = "stop",
                ["prompt_eval_count"] = 42,
                ["eval_count"] = 12,
            };
            context.Response.ContentType = "application/x-ndjson";
            await context.Response.WriteAsync(answer.ToJsonString() + "\n", context.RequestAborted);
        });
}
