using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using VeloZ.SimVenue.Api;
using VeloZ.SimVenue.Engine;
using VeloZ.SimVenue.Streams;

namespace VeloZ.SimVenue.Infrastructure;

/// <summary>Everything one venue instance is made of, wired once at start.</summary>
internal sealed class VenueRuntime : IVenueEventSink
{
    public VenueRuntime(SimVenueOptions options, ILogger logger)
    {
        Options = options;
        Logger = logger;
        Counters = new SimVenueCounters();
        Connections = new ConnectionRegistry();
        Faults = new SimVenueFaults(Connections, options.Seed, options.TimeProvider);
        Clock = new VenueClock(options.TimeProvider, Faults);
        MarketHub = new MarketStreamHub();
        UserHub = new UserStreamHub();
        Engine = new MatchingEngine(options, Clock, this, Counters);
        Limiter = new RateLimiter(Clock, options);
        Authenticator = new Authenticator(Engine, Clock);
        Api = new VenueApi(Engine, Clock, Limiter);
        Dispatcher = new VenueDispatcher(Authenticator, Limiter, Counters, Faults);
        Rest = new RestEndpoint(Api, Dispatcher, Faults, Clock, Counters);
    }

    public SimVenueOptions Options { get; }

    public ILogger Logger { get; }

    public SimVenueCounters Counters { get; }

    public ConnectionRegistry Connections { get; }

    public SimVenueFaults Faults { get; }

    public VenueClock Clock { get; }

    public MarketStreamHub MarketHub { get; }

    public UserStreamHub UserHub { get; }

    public MatchingEngine Engine { get; }

    public RateLimiter Limiter { get; }

    public Authenticator Authenticator { get; }

    public VenueApi Api { get; }

    public VenueDispatcher Dispatcher { get; }

    public RestEndpoint Rest { get; }

    public bool HasUserSubscribers(SimAccount account) => UserHub.HasSubscribers(account);

    public void UserEvent(SimAccount account, JsonObject payload) => UserHub.Publish(account, payload);

    public void MarketEvent(string stream, JsonObject payload) => MarketHub.Publish(stream, payload);
}
