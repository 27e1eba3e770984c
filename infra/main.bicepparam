// Parameters of a first deployment on the Binance Spot testnet. Copy and edit for your own
// environment; secrets never go here (they are set in Key Vault, see docs/deployment.md).
using 'main.bicep'

param name = 'veloz'
param marketSymbols = 'BTCUSDT'
param marketSource = 'binance_ws'
param executionMode = 'binance_testnet_spot'
param corsOrigins = '*'
param signalRSku = 'Standard_S1'
param functionAlwaysReadyInstances = 1

// Empty on the first deployment; then e.g. 'veloz-worker:1' once the image is in the registry
// (or pass -p workerImage=veloz-worker:1 on the command line).
param workerImage = readEnvironmentVariable('VELOZ_WORKER_IMAGE', '')
