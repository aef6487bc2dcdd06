using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Personalization;

/// <summary>
/// The model's calls are spans of their own, as Microsoft.Extensions.AI's OpenTelemetry client makes them (the GenAI
/// semantic conventions: <c>chat {model}</c>, with the token counts the model reported), exported by the worker.
/// </summary>
public sealed class PersonalizationTelemetryTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_model_call_is_a_span_with_its_token_counts()
    {
        using var api = fixture.CreateApiClient();
        var campaign = await PersonalizedCampaigns.CreateAsync(api,
            PersonalizedCampaigns.Body("sms", "Hi {first_name}!", PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good)), Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct);

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);
        Assert.Equal("ai", written.Personalization);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(fixture.Telemetry.Spans("worker").Any(s => s.Scope == "Campaigns.Personalization" && s.Name == $"chat {FakeLanguageModel.Model}")
                 && fixture.Telemetry.Exported("worker", "gen_ai.usage.input_tokens")
                 && fixture.Telemetry.Exported("worker", "gen_ai.usage.output_tokens")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No model call span with token counts from the worker ({fixture.Telemetry.Summary()})");
            await Task.Delay(200, Ct);
        }
    }
}
