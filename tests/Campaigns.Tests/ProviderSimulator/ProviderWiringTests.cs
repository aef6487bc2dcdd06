using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Campaigns.AppHost.Providers;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// The AppHost's provider wiring, read from its model without starting anything: each service's
/// environment as a manifest would spell it (<c>{api.bindings.http.url}</c>, <c>{name.value}</c>), so
/// what refers to an endpoint or a parameter shows which one.
/// </summary>
public sealed class ProviderWiringTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"campaigns-wiring-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    private async Task<Dictionary<string, Dictionary<string, string>>> EnvironmentsAsync(params string[] args)
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Campaigns_AppHost>(
            [$"Infrastructure:DataDirectory={_dataDirectory}", "Infrastructure:Mode=executables", "Infrastructure:Ephemeral=true", .. args], Ct);
        var environments = new Dictionary<string, Dictionary<string, string>>();
        foreach (var resource in builder.Resources.OfType<ProjectResource>())
        {
            environments[resource.Name] = await PublishedEnvironmentAsync(resource);
        }
        return environments;
    }

    /// <summary>The resource's environment callbacks run as for a manifest; references kept as their expressions.</summary>
    private static async Task<Dictionary<string, string>> PublishedEnvironmentAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(
            new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), resource, [], Ct);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context);
        }
        return context.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => variable.Value switch
        {
            string text => text,
            IManifestExpressionProvider reference => reference.ValueExpression,
            var other => other.ToString() ?? "",
        });
    }

    [Fact]
    public async Task The_simulator_switch_routes_the_worker_to_the_simulator_with_credentials_shared_by_all_three_and_its_own_settings()
    {
        var environments = await EnvironmentsAsync($"{SimulatedProviders.Switch}=true", "Simulator:Rules:0:Pattern=00$");
        var worker = environments["worker"];
        var api = environments["api"];
        var simulator = environments[SimulatedProviders.ResourceName];

        Assert.Equal(("africastalking", "twilio", "whatsapp-cloud"),
            (worker["Providers__Sms__Chain__0"], worker["Providers__Sms__Chain__1"], worker["Providers__WhatsApp__Chain__0"]));
        Assert.All(["Twilio", "AfricasTalking", "WhatsAppCloud"], provider =>
            Assert.Equal("{provider-simulator.bindings.http.url}", worker[$"Providers__{provider}__BaseUrl"]));
        Assert.All([worker, api, simulator], service => Assert.Equal("{api.bindings.http.url}", service["Webhooks__PublicBaseUrl"]));
        // Running, short links point at the API's own endpoint too (published: the public-base-url parameter, ManifestTests).
        Assert.All([worker, api], service => Assert.Equal("{api.bindings.http.url}", service["Links__BaseUrl"]));

        // What the worker sends with is what the simulator checks and signs with, and what the API verifies.
        Assert.Equal("{twilio-auth-token.value}", worker["Providers__Twilio__AuthToken"]);
        Assert.All([simulator, api], service => Assert.Equal(worker["Providers__Twilio__AuthToken"], service["Providers__Twilio__AuthToken"]));
        Assert.Equal(worker["Providers__Twilio__AccountSid"], simulator["Providers__Twilio__AccountSid"]);
        Assert.Equal(worker["Providers__AfricasTalking__Username"], simulator["Providers__AfricasTalking__Username"]);
        Assert.Equal("{africastalking-api-key.value}", worker["Providers__AfricasTalking__ApiKey"]);
        Assert.Equal(worker["Providers__AfricasTalking__ApiKey"], simulator["Providers__AfricasTalking__ApiKey"]);
        Assert.Equal("{whatsapp-access-token.value}", worker["Providers__WhatsAppCloud__AccessToken"]);
        Assert.Equal(worker["Providers__WhatsAppCloud__AccessToken"], simulator["Providers__WhatsAppCloud__AccessToken"]);
        Assert.Equal(worker["Providers__WhatsAppCloud__PhoneNumberId"], simulator["Providers__WhatsAppCloud__PhoneNumberId"]);
        Assert.All([simulator, api], service =>
        {
            Assert.Equal("{africastalking-webhook-token.value}", service["Providers__AfricasTalking__WebhookToken"]);
            Assert.Equal("{whatsapp-app-secret.value}", service["Providers__WhatsAppCloud__AppSecret"]);
        });
        Assert.Equal("{whatsapp-verify-token.value}", api["Providers__WhatsAppCloud__VerifyToken"]);
        // The simulator's own settings pass from the AppHost's.
        Assert.Equal("00$", simulator["Simulator__Rules__0__Pattern"]);
        // A sender, which the worker's Twilio options require.
        Assert.False(string.IsNullOrEmpty(worker["Providers__Twilio__From"]));
    }

    [Fact]
    public async Task Without_the_switch_or_provider_settings_the_services_get_none_and_the_mock_stays()
    {
        var environments = await EnvironmentsAsync($"{SimulatedProviders.Switch}=false");

        Assert.DoesNotContain(SimulatedProviders.ResourceName, environments.Keys);
        Assert.All(["worker", "api"], service =>
            Assert.DoesNotContain(environments[service].Keys, name => name.StartsWith("Providers__", StringComparison.Ordinal) || name.StartsWith("Webhooks__", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Without_the_switch_the_apphosts_own_provider_settings_pass_to_worker_and_api_secrets_as_parameters()
    {
        var environments = await EnvironmentsAsync(
            $"{SimulatedProviders.Switch}=false",
            "Providers:Sms:Chain:0=twilio",
            "Providers:Twilio:AccountSid=AC42",
            "Providers:Twilio:AuthToken=real-token",
            "Webhooks:PublicBaseUrl=https://campaigns.example.com");

        Assert.All(["worker", "api"], service =>
        {
            var environment = environments[service];
            Assert.Equal("twilio", environment["Providers__Sms__Chain__0"]);
            Assert.Equal("AC42", environment["Providers__Twilio__AccountSid"]);
            Assert.Equal("{providers-twilio-authtoken.value}", environment["Providers__Twilio__AuthToken"]);
            Assert.Equal("https://campaigns.example.com", environment["Webhooks__PublicBaseUrl"]);
            Assert.DoesNotContain("Providers__Simulator", environment.Keys);
        });
    }

    [Fact]
    public async Task The_simulator_is_called_directly_on_a_port_chosen_at_start_so_two_graphs_never_collide()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Campaigns_AppHost>(
            [$"Infrastructure:DataDirectory={_dataDirectory}", "Infrastructure:Mode=executables", "Infrastructure:Ephemeral=true",
             $"{SimulatedProviders.Switch}=true"], Ct);
        var simulator = builder.Resources.Single(resource => resource.Name == SimulatedProviders.ResourceName);

        var http = Assert.Single(simulator.Annotations.OfType<EndpointAnnotation>(), endpoint => endpoint.Name == "http");
        Assert.False(http.IsProxied);
        // The launch profile's 5200 would make every graph with a simulator bind the same port.
        Assert.Null(http.Port);
        Assert.Null(http.TargetPort);
    }
}
