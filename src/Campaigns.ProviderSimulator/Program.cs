using Campaigns.ProviderSimulator;
using Campaigns.ProviderSimulator.AfricasTalking;
using Campaigns.ProviderSimulator.Control;
using Campaigns.ProviderSimulator.Twilio;
using Campaigns.ProviderSimulator.WhatsAppCloud;

// Twilio, Africa's Talking and WhatsApp Cloud as the worker's adapters call them, answering by
// configurable rules and posting signed receipts to the API's webhooks: the whole loop, locally.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProviderSimulator();

var app = builder.Build();

app.MapDefaultEndpoints();

app.MapTwilioApi();
app.MapAfricasTalkingApi();
app.MapWhatsAppCloudApi();
app.MapControlApi();

app.LogSettings();
app.Run();
