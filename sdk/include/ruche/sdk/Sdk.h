#pragma once

/// Everything a plugin includes, in one header.
#include "ruche/sdk/Context.h"
#include "ruche/sdk/Database.h"
#include "ruche/sdk/Errors.h"
#include "ruche/sdk/Escape.h"
#include "ruche/sdk/Events.h"
#include "ruche/sdk/Http.h"
#include "ruche/sdk/Logger.h"
#include "ruche/sdk/Mail.h"
#include "ruche/sdk/Plugin.h"
#include "ruche/sdk/Settings.h"
#include "ruche/sdk/Value.h"
#include "ruche/sdk/Version.h"
#include "ruche/sdk/WebhookVerifier.h"
