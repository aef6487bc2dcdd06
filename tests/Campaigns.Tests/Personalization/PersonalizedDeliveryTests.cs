using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Personalization;
using StackExchange.Redis;

namespace Campaigns.Tests.Personalization;

/// <summary>
/// api.md Part 2, "Personalization", through the whole graph: the worker asks the configured model (a local
/// OpenAI-compatible server, <see cref="FakeLanguageModel"/>) for each message's text just before its provider call,
/// sends and stores the model's text (<c>personalization: "ai"</c>), and falls back to the plain rendering
/// (<c>"fallback"</c>) when the answer breaks a rule, comes too late, or fails.
/// </summary>
public sealed class PersonalizedDeliveryTests(AppFixture fixture)
{
    private const string Template = "Hi {first_name}! Shoes are 20% off today. " + PersonalizedCampaigns.OptOutSentence;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Plain(string firstName) => $"Hi {firstName}! Shoes are 20% off today. {PersonalizedCampaigns.OptOutSentence}";

    [Fact]
    public async Task The_models_text_is_sent_and_stored_as_ai()
    {
        using var api = fixture.CreateApiClient();
        var instructions = PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good);
        var campaign = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("sms", Template, instructions), Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Wanjiru", location: "Nakuru", product: "Shoes");

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);

        var expected = FakeLanguageModel.GoodText(Plain("Wanjiru"));
        Assert.Equal((expected, "ai"), (written.RenderedContent, written.Personalization));
        var message = await PersonalizedCampaigns.MessageAsync(api, campaign, written.MessageId, Ct);
        Assert.Equal((expected, "ai"), (message["rendered_content"]!.GetValue<string>(), message["personalization"]!.GetValue<string>()));
        // The model was asked once, with the plain rendering, the customer's fields and the instructions (never the phone).
        var prompt = Assert.Single(fixture.Model.PromptsMentioning(instructions));
        Assert.Contains(Plain("Wanjiru"), prompt);
        Assert.Contains("location: Nakuru", prompt);
        Assert.Contains("preferred_product: Shoes", prompt);
        Assert.Contains(PersonalizedCampaigns.OptOutSentence, prompt);
    }

    [Theory]
    [InlineData(FakeLanguageModel.Behaviour.TooLong)]
    [InlineData(FakeLanguageModel.Behaviour.Placeholder)]
    [InlineData(FakeLanguageModel.Behaviour.Empty)]
    [InlineData(FakeLanguageModel.Behaviour.DropOptOut)]
    [InlineData(FakeLanguageModel.Behaviour.Error)]
    [InlineData(FakeLanguageModel.Behaviour.Slow)]
    public async Task An_answer_that_breaks_a_rule_fails_or_comes_too_late_sends_the_plain_rendering_as_fallback(string behaviour)
    {
        using var api = fixture.CreateApiClient();
        var instructions = PersonalizedCampaigns.Instructions(behaviour);
        var campaign = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("sms", Template, instructions), Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Otieno");

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);

        Assert.Equal((Plain("Otieno"), "fallback"), (written.RenderedContent, written.Personalization));
        var message = await PersonalizedCampaigns.MessageAsync(api, campaign, written.MessageId, Ct);
        Assert.Equal("fallback", message["personalization"]!.GetValue<string>());
        Assert.Equal(1, fixture.Model.CallsMentioning(instructions));
    }

    [Fact]
    public async Task A_whatsapp_max_length_is_held_in_code_points()
    {
        using var api = fixture.CreateApiClient();
        const string template = "Hello {first_name} 👋 new arrivals are in.";
        var instructions = PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good);
        // The good answer is the rendering with a 15-character prefix: within 60 code points, beyond 50.
        var fits = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("whatsapp", template, instructions, maxLength: 60), Ct);
        var tooShort = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("whatsapp", template, instructions, maxLength: 50), Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Achieng");
        var plain = "Hello Achieng 👋 new arrivals are in.";

        var ai = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, fits, customer, Ct);
        var fallback = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, tooShort, customer, Ct);

        Assert.Equal((FakeLanguageModel.GoodText(plain), "ai"), (ai.RenderedContent, ai.Personalization));
        Assert.Equal((plain, "fallback"), (fallback.RenderedContent, fallback.Personalization));
    }

    [Fact]
    public async Task A_retried_message_keeps_its_text_and_never_asks_the_model_again()
    {
        using var api = fixture.CreateApiClient();
        var instructions = PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good);
        var campaign = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("sms", Template, instructions), Ct);
        // Every attempt to this phone fails transiently: three attempts, then failed.
        var customer = await fixture.Database.InsertCustomerAsync(Ct, phone: DeliveryPhones.ForcedTransient(), firstName: "Kamau");

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);

        Assert.Equal(("failed", 3), (written.Status, written.RetryCount));
        var expected = FakeLanguageModel.GoodText(Plain("Kamau"));
        Assert.Equal((expected, "ai"), (written.RenderedContent, written.Personalization));
        var attempts = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM sender_calls WHERE outbound_message_id = @id", new { id = written.MessageId }, Ct);
        Assert.Equal(3, attempts);
        Assert.Equal(1, fixture.Model.CallsMentioning(instructions));
    }

    [Fact]
    public async Task A_campaign_whose_budget_is_spent_sends_the_plain_rendering_without_asking_the_model()
    {
        using var api = fixture.CreateApiClient();
        var instructions = PersonalizedCampaigns.Instructions(FakeLanguageModel.Behaviour.Good);
        var campaign = await PersonalizedCampaigns.CreateAsync(api, PersonalizedCampaigns.Body("sms", Template, instructions), Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Chebet");
        // The campaign has spent the worker's budget (Personalization:MaxCallsPerCampaign, 100,000 by default) already.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await fixture.Graph.ConnectionStringAsync("redis", Ct)))
        {
            await redis.GetDatabase().StringSetAsync(PersonalizationBudget.KeyFor(campaign), 100_000);
        }

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);

        Assert.Equal((Plain("Chebet"), "fallback"), (written.RenderedContent, written.Personalization));
        Assert.Equal(0, fixture.Model.CallsMentioning(instructions));
    }

    [Fact]
    public async Task A_campaign_without_personalization_is_sent_as_rendered_and_never_reaches_the_model()
    {
        using var api = fixture.CreateApiClient();
        var body = PersonalizedCampaigns.Body("sms", Template, "unused");
        body.Remove("personalization");
        var campaign = await PersonalizedCampaigns.CreateAsync(api, body, Ct);
        var customer = await fixture.Database.InsertCustomerAsync(Ct, firstName: "Njeri");

        var written = await PersonalizedCampaigns.SendAndWaitAsync(api, fixture.Database, campaign, customer, Ct);

        Assert.Equal((Plain("Njeri"), null), (written.RenderedContent, written.Personalization));
    }
}
