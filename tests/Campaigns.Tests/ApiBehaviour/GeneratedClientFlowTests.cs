using Campaigns.ApiClient;
using Campaigns.ApiClient.Models;
using Campaigns.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Campaigns.Tests.ApiBehaviour;

/// <summary>
/// A client generated from docs/openapi.json (tests/Campaigns.ApiClient, Kiota) runs the flow a
/// business does: customers, a campaign, a preview, a send, the stats. If the document lies about a
/// path, a field or a status, this fails to compile or to run.
/// </summary>
public sealed class GeneratedClientFlowTests : IDisposable
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly HttpClientRequestAdapter _adapter;
    private readonly CampaignsClient _client;

    public GeneratedClientFlowTests(AppFixture fixture)
    {
        // The fixture's client carries the API key (the document's ApiKey scheme: the X-Api-Key header).
        _http = fixture.CreateApiClient();
        _adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _http)
        {
            BaseUrl = _http.BaseAddress!.ToString().TrimEnd('/'),
        };
        _client = new CampaignsClient(_adapter);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customers_a_campaign_a_preview_a_send_and_its_stats()
    {
        var amina = await CreateCustomerAsync("Amina", Unique.KenyanPhone());
        var baraka = await CreateCustomerAsync("Baraka", Unique.KenyanPhone());
        // The mock provider refuses this number for good: the stats show a failure too.
        var refused = await CreateCustomerAsync("Chege", DeliveryPhones.ForcedPermanent());

        var campaign = await _client.Campaigns.PostAsync(new CreateCampaignRequest
        {
            Name = Unique.Name("generated-client"),
            Channel = Channel.Sms,
            BaseTemplate = "Hi {first_name}, {preferred_product} is 20% off.",
        }, cancellationToken: Ct);
        Assert.Equal(CampaignStatus.Draft, campaign?.Status);
        var campaignId = campaign!.Id!.Value;

        var preview = await _client.Campaigns[campaignId].PersonalizedPreview.PostAsync(
            new PreviewRequest { CustomerId = amina.Id }, cancellationToken: Ct);
        Assert.Equal("Hi Amina, Chai is 20% off.", preview?.RenderedMessage);
        Assert.Equal(amina.Id, preview?.Customer?.Id);
        Assert.Equal(1, preview?.Sms?.Segments);

        var sent = await _client.Campaigns[campaignId].Send.PostAsync(
            new SendCampaignRequest { SendToCustomers = new SendToCustomers { CustomerIds = [amina.Id, baraka.Id, refused.Id] } },
            cancellationToken: Ct);
        Assert.Equal(3, sent?.MessagesQueued);
        Assert.Equal(0, sent?.SkippedOptedOut);
        Assert.Equal(CampaignStatus.Sending, sent?.Status);

        var finished = await WaitUntilFinishedAsync(campaignId);
        Assert.Equal(CampaignStatus.Sent, finished.Status);
        var stats = finished.Stats!;
        Assert.Equal(3, stats.Total);
        Assert.Equal((0, 0, 0), (stats.Pending, stats.Sending, stats.Cancelled));
        // The refused number fails; the others are sent (each fails only after three unlucky attempts).
        Assert.Equal(3, stats.Sent + stats.Failed);
        Assert.InRange(stats.Failed!.Value, 1, 2);
    }

    [Fact]
    public async Task A_missing_campaign_surfaces_as_the_documented_problem_with_its_error_code()
    {
        var problem = await Assert.ThrowsAsync<Problem>(() => _client.Campaigns[long.MaxValue].GetAsync(cancellationToken: Ct));

        Assert.Equal(404, problem.ResponseStatusCode);
        Assert.Equal(404, problem.Status);
        Assert.Equal(ErrorCode.CAMPAIGN_NOT_FOUND, problem.Error?.Code);
        Assert.False(string.IsNullOrWhiteSpace(problem.Error?.Message));
        Assert.Matches("^[0-9a-f]{32}$", problem.TraceId);
    }

    private async Task<CustomerResponse> CreateCustomerAsync(string firstName, string phone)
    {
        var customer = await _client.Customers.PostAsync(new CreateCustomerRequest
        {
            Phone = phone,
            FirstName = firstName,
            PreferredProduct = "Chai",
        }, cancellationToken: Ct);
        Assert.NotNull(customer?.Id);
        Assert.Equal(phone, customer.Phone);
        return customer;
    }

    /// <summary>Reads the campaign until its send is over (nothing pending or sending); fails after <see cref="DeliveryTimeout"/>.</summary>
    private async Task<CampaignResponse> WaitUntilFinishedAsync(long campaignId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(DeliveryTimeout);
        CampaignResponse? campaign = null;
        try
        {
            while (true)
            {
                campaign = await _client.Campaigns[campaignId].GetAsync(cancellationToken: deadline.Token);
                if (campaign?.Status != CampaignStatus.Sending)
                {
                    return campaign!;
                }
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            var stats = campaign?.Stats;
            throw new TimeoutException($"Campaign {campaignId} still {campaign?.Status} after {DeliveryTimeout}: " +
                $"total {stats?.Total}, pending {stats?.Pending}, sending {stats?.Sending}, sent {stats?.Sent}, failed {stats?.Failed}");
        }
    }

    public void Dispose()
    {
        _adapter.Dispose();
        _http.Dispose();
    }
}
