//! Word lists the extractor reasons with: which nouns name crowds, events or other
//! things, which verbs say a crowd came, which words cancel a figure, and who speaks.
//!
//! Every function takes an ASCII-lowercased word and is a plain `match`. The hottest
//! questions are also answered by `flags`, one hash lookup per token.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// The word can start a number phrase ("five", "dozens", "a").
pub const NUMBER_START: u8 = 1;
/// The word can break a clause ("while", "but").
pub const CLAUSE_BREAK: u8 = 2;
/// The word can start a source ("police", "organizers", "the White House").
pub const SOURCE_START: u8 = 4;
/// The word says the sentence is about a crowd ("crowd", "protesters").
pub const CROWD_WORD: u8 = 8;
/// The word names a non-political venue ("game", "concert").
pub const VENUE: u8 = 16;
/// The word can start an aggregate cue ("nationwide", "across").
pub const AGGREGATE_START: u8 = 32;
/// The word can end a qualifier before a figure ("than", "about": `QUALIFIERS`).
pub const QUALIFIER_END: u8 = 64;
/// The word can make a name before or after it a source ("said", "per", "estimate").
pub const NAME_CUE: u8 = 128;

const NAME_CUES: &[&str] = &[
    "said",
    "says",
    "estimated",
    "estimates",
    "put",
    "puts",
    "pegged",
    "reported",
    "reports",
    "counted",
    "claimed",
    "claims",
    "tallied",
    "calculated",
    "judged",
    "found",
    "per",
    "by",
    "according",
    "estimate",
    "count",
    "tally",
    "figure",
    "figures",
    "numbers",
    "headcount",
];

/// Venue words of `VENUE`.
pub const VENUES: &[&str] = &[
    "game",
    "games",
    "concert",
    "fair",
    "season",
    "museum",
    "zoo",
    "match",
    "tournament",
    "ballgame",
    "stadium",
    "playoff",
    "festival",
    "marathon",
    "convention",
];

const AGGREGATE_STARTS: &[&str] = &[
    "nationwide",
    "countrywide",
    "statewide",
    "worldwide",
    "globally",
    "totaled",
    "totalled",
    "altogether",
    "cumulative",
    "cumulatively",
    "combined",
    "coast-to-coast",
    "nationally",
    "in",
    "all",
    "total",
    "national",
    "coast",
    "across",
    "around",
    "throughout",
    "protests",
    "rallies",
    "marches",
    "demonstrations",
    "events",
];

/// Short keys from our own word lists: no need for a DoS-resistant hash.
type FlagMap = FxHashMap<&'static str, u8>;

const NUMBER_STARTS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "dozen",
    "a",
    "an",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "scores",
    "tens",
    "several",
    "handful",
    "half",
    "few",
    "quarter-million",
    "half-million",
    "quarter-billion",
    "half-billion",
];

const CLAUSE_BREAKS: &[&str] = &[
    "while",
    "which",
    "when",
    "whereas",
    "but",
    "though",
    "although",
    "including",
    "however",
    "meanwhile",
    "compared",
    "versus",
    "vs",
    "vs.",
    "whereupon",
    "yet",
    "where",
    "and",
];

const SOURCE_STARTS: &[&str] = &[
    "aclu",
    "co-organizer",
    "co-organizers",
    "co-organiser",
    "co-organisers",
    "hill",
    "fivethirtyeight",
    "website",
    "site",
    "webpage",
    "chapters",
    "coordinator",
    "coordinators",
    "police",
    "nypd",
    "lapd",
    "cpd",
    "mpd",
    "sfpd",
    "dcpd",
    "sheriff",
    "sheriffs",
    "troopers",
    "constable",
    "law",
    "highway",
    "organizers",
    "organisers",
    "organizer",
    "organiser",
    "organizing",
    "hosts",
    "indivisible",
    "moveon",
    "sponsors",
    "convener",
    "conveners",
    "50501",
    "group",
    "campaign",
    "movement",
    "coalition",
    "union",
    "unions",
    "officials",
    "official",
    "mayor",
    "governor",
    "administration",
    "pentagon",
    "authorities",
    "councilmember",
    "alderman",
    "commissioner",
    "government",
    "army",
    "president",
    "trump",
    "white",
    "park",
    "parks",
    "research",
    "story",
    "article",
    "secret",
    "city",
    "county",
    "state",
    "fire",
    "researchers",
    "researcher",
    "scientist",
    "scientists",
    "professor",
    "consortium",
    "analysts",
    "analyst",
    "statistician",
    "academics",
    "experts",
    "expert",
    "sociologist",
    "sociologists",
    "statisticians",
    "counters",
    "political",
    "crowd",
    "crowd-counting",
    "crowd-counters",
    "data",
    "our",
    "we",
    "i",
    "volunteers",
    "attendees",
    "participants",
    "marchers",
    "protesters",
    "demonstrators",
    "attendee",
    "participant",
    "marcher",
    "protester",
    "demonstrator",
    "rallygoers",
    "rally-goers",
    "associated",
    "ap",
    "reuters",
    "cnn",
    "nbc",
    "abc",
    "cbs",
    "npr",
    "msnbc",
    "pbs",
    "axios",
    "bloomberg",
    "afp",
    "upi",
    "politico",
    "newsweek",
    "wsj",
    "c-span",
    "times",
    "post",
    "tribune",
    "globe",
    "journal",
    "herald",
    "chronicle",
    "inquirer",
    "gazette",
    "guardian",
    "examiner",
    "sun-times",
    "star-tribune",
    "dispatch",
    "bee",
    "register",
    "courant",
    "independent",
    "oregonian",
    "observer",
    "telegraph",
    "star",
    "newspaper",
    "newsroom",
    "outlet",
    "reporters",
    "reporter",
    "journalists",
    "correspondents",
    "correspondent",
    "photographers",
    "they",
    "he",
    "she",
    "department",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "event",
    "news",
    "district",
    "university",
    "school",
    "college",
    "station",
    "television",
    "tv",
    "network",
    "media",
];

fn flag_map() -> &'static FlagMap {
    static MAP: OnceLock<FlagMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FlagMap::default();
        for (list, flag) in [
            (NUMBER_STARTS, NUMBER_START),
            (CLAUSE_BREAKS, CLAUSE_BREAK),
            (SOURCE_STARTS, SOURCE_START),
            (VENUES, VENUE),
            (AGGREGATE_STARTS, AGGREGATE_START),
            (NAME_CUES, NAME_CUE),
        ] {
            for w in list {
                *map.entry(w).or_default() |= flag;
            }
        }
        for q in QUALIFIERS {
            *map.entry(q[q.len() - 1]).or_default() |= QUALIFIER_END;
        }
        for w in [
            "crowd",
            "crowds",
            "turnout",
            "turn-out",
            "attendance",
            "attended",
        ]
        .iter()
        .chain(STRONG_CROWD_NOUNS)
        {
            *map.entry(w).or_default() |= CROWD_WORD;
        }
        map
    })
}

/// The word classes of a lowercased word. Possessives ("police's", "organizers'")
/// take the classes of the bare word; strong crowd nouns are `CROWD_WORD`.
pub fn flags(w: &str) -> u8 {
    let b = w.as_bytes();
    let plain =
        b.len() < 2 || b[b.len() - 1] < 0x80 && b[b.len() - 1] != b'\'' && b[b.len() - 2] != b'\'';
    if plain {
        return flag_map().get(w).copied().unwrap_or(0);
    }
    let bare = w.trim_end_matches(['\'', '\u{2019}']);
    let bare = bare
        .strip_suffix("'s")
        .or_else(|| bare.strip_suffix("\u{2019}s"))
        .unwrap_or(bare);
    flag_map().get(bare).copied().unwrap_or(0)
}
/// Crowd nouns that need no further evidence.
const STRONG_CROWD_NOUNS: &[&str] = &[
    "protesters",
    "protestors",
    "demonstrators",
    "marchers",
    "attendees",
    "participants",
    "rallygoers",
    "rally-goers",
    "ralliers",
    "paradegoers",
    "parade-goers",
    "parade-watchers",
    "spectators",
    "onlookers",
    "counterprotesters",
    "counter-protesters",
    "counterprotestors",
    "counter-protestors",
    "picketers",
    "strikers",
    "mourners",
    "concertgoers",
    "festivalgoers",
    "marcher",
    "protester",
    "crowd",
    "crowds",
    "strong",
    "revelers",
    "revellers",
    "well-wishers",
    "activists",
    "supporters",
    "opponents",
    "people",
    "persons",
    "person",
    "individuals",
    "folks",
    "souls",
    "faithful",
    "worshippers",
    "worshipers",
    "vigil-goers",
    "walkers",
    "bikers",
    "cyclists",
    "riders-in",
    "voices",
];

/// Nouns for people in a gathering. `Strong` needs no further evidence; `Weak` nouns
/// ("residents", "students") name people who are often counted for other reasons, so
/// they need a verb or context that says they gathered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crowd {
    Strong,
    Weak,
}

pub fn crowd_noun(w: &str) -> Option<Crowd> {
    let w = w.trim_end_matches(['\'', '\u{2019}']);
    Some(match w {
        "protesters" | "protestors" | "demonstrators" | "marchers" | "attendees"
        | "participants" | "rallygoers" | "rally-goers" | "ralliers" | "paradegoers"
        | "parade-goers" | "parade-watchers" | "spectators" | "onlookers" | "counterprotesters"
        | "counter-protesters" | "counterprotestors" | "counter-protestors" | "picketers"
        | "strikers" | "mourners" | "concertgoers" | "festivalgoers" | "marcher" | "protester"
        | "crowd" | "crowds" | "strong" | "revelers" | "revellers" | "well-wishers"
        | "activists" | "supporters" | "opponents" | "people" | "persons" | "person"
        | "individuals" | "folks" | "souls" | "faithful" | "worshippers" | "worshipers"
        | "vigil-goers" | "walkers" | "bikers" | "cyclists" | "riders-in" | "voices" => {
            Crowd::Strong
        }
        "residents" | "students" | "workers" | "members" | "veterans" | "women" | "men"
        | "families" | "fans" | "nurses" | "teachers" | "employees" | "farmers" | "youths"
        | "children" | "kids" | "parents" | "citizens" | "americans" | "immigrants"
        | "advocates" | "volunteers" | "union" | "unionists" | "laborers" | "doctors"
        | "scientists" | "clergy" | "faith" | "neighbors" | "locals" | "seniors" | "retirees"
        | "grandmothers" | "mothers" | "visitors" | "guests" | "tourists" | "allies"
        | "constituents" | "voters" | "democrats" | "republicans" | "progressives"
        | "conservatives" | "liberals" | "patriots" | "trump" | "maga" | "lawyers"
        | "physicians" | "librarians" | "runners" | "drivers" | "truckers" | "miners"
        | "steelworkers" | "autoworkers" | "educators" | "staffers" | "others" => Crowd::Weak,
        _ => return None,
    })
}

/// Plural nouns for kinds of people not in the lists ("Oregonians", "farmworkers").
pub fn person_like(w: &str) -> bool {
    w.len() > 5
        && (w.ends_with("ers")
            || w.ends_with("ians")
            || w.ends_with("ans")
            || w.ends_with("ists")
            || w.ends_with("ees")
            || w.ends_with("ites"))
        && !negative_noun(w)
        && !event_noun(w)
        && !matches!(
            w,
            "flyers"
                | "fliers"
                | "stickers"
                | "posters"
                | "banners"
                | "numbers"
                | "papers"
                | "letters"
                | "orders"
                | "dollars"
                | "meters"
                | "centers"
                | "towers"
                | "corners"
                | "layers"
                | "chambers"
                | "members"
                | "headquarters"
                | "quarters"
                | "others"
                | "answers"
                | "computers"
                | "speakers"
                | "speakers'"
                | "containers"
                | "trailers"
                | "powers"
                | "offers"
                | "filters"
                | "plans"
                | "fans"
                | "vans"
                | "loans"
                | "scans"
                | "cans"
                | "guardians"
                | "lists"
                | "tourists"
        )
}

/// Nouns that make a figure a count of events or places.
pub fn event_noun(w: &str) -> bool {
    matches!(
        w,
        "rallies"
            | "events"
            | "protests"
            | "demonstrations"
            | "marches"
            | "gatherings"
            | "vigils"
            | "actions"
            | "locations"
            | "places"
            | "cities"
            | "towns"
            | "sites"
            | "communities"
            | "venues"
            | "counties"
            | "municipalities"
            | "parades"
            | "strikes"
            | "walkouts"
            | "teach-ins"
            | "picket"
            | "pickets"
            | "cities-"
            | "spots"
            | "meetups"
            | "town-halls"
            | "rallies-"
            | "plants"
            | "factories"
            | "facilities"
            | "campuses"
            | "worksites"
            | "warehouses"
            | "stores"
    )
}

/// Nouns that make a figure something other than a crowd: arrests, officers, money,
/// units, deaths, signs and so on.
pub fn negative_noun(w: &str) -> bool {
    let w = w.trim_end_matches(['\'', '\u{2019}']);
    matches!(
        w,
        "schools"
            | "colleges"
            | "universities"
            | "churches"
            | "congregations"
            | "businesses"
            | "companies"
            | "employers"
            | "agencies"
            | "departments"
            | "arrests"
            | "arrest"
            | "arrested"
            | "detentions"
            | "detainees"
            | "deportations"
            | "deportees"
            | "removals"
            | "officers"
            | "officer"
            | "troops"
            | "soldiers"
            | "guardsmen"
            | "guard"
            | "guardsman"
            | "marines"
            | "agents"
            | "deputies"
            | "troopers"
            | "personnel"
            | "police"
            | "cops"
            | "sheriffs"
            | "dollars"
            | "bucks"
            | "cents"
            | "percent"
            | "per"
            | "percentage"
            | "points"
            | "votes"
            | "ballots"
            | "signatures"
            | "signs"
            | "placards"
            | "banners"
            | "flags"
            | "posters"
            | "buses"
            | "busloads"
            | "vehicles"
            | "cars"
            | "tanks"
            | "aircraft"
            | "planes"
            | "jets"
            | "helicopters"
            | "horses"
            | "miles"
            | "mile"
            | "feet"
            | "foot"
            | "yards"
            | "meters"
            | "metres"
            | "kilometers"
            | "km"
            | "blocks"
            | "acres"
            | "square"
            | "sq"
            | "hectares"
            | "degrees"
            | "years"
            | "year"
            | "months"
            | "weeks"
            | "days"
            | "hours"
            | "minutes"
            | "seconds"
            | "decades"
            | "deaths"
            | "dead"
            | "killed"
            | "fatalities"
            | "injuries"
            | "injured"
            | "wounded"
            | "casualties"
            | "victims"
            | "bodies"
            | "rsvps"
            | "rsvp"
            | "registrations"
            | "registrants"
            | "tickets"
            | "seats"
            | "beds"
            | "calls"
            | "complaints"
            | "posts"
            | "followers"
            | "views"
            | "viewers"
            | "likes"
            | "shares"
            | "subscribers"
            | "riders"
            | "ridership"
            | "passengers"
            | "trips"
            | "rides"
            | "entries"
            | "swipes"
            | "jobs"
            | "households"
            | "homes"
            | "houses"
            | "buildings"
            | "units"
            | "apartments"
            | "inhabitants"
            | "respondents"
            | "adults"
            | "cases"
            | "charges"
            | "citations"
            | "tickets-"
            | "permits"
            | "capacity"
            | "copies"
            | "pages"
            | "words"
            | "emails"
            | "letters"
            | "petitions"
            | "donors"
            | "donations"
            | "calories"
            | "pounds"
            | "tons"
            | "gallons"
            | "bottles"
            | "meals"
            | "sandwiches"
            | "pizzas"
            | "shirts"
            | "t-shirts"
            | "hats"
            | "bills"
            | "laws"
            | "lawsuits"
            | "suits"
            | "counts"
            | "times"
            | "fold"
            | "th"
            | "st"
            | "nd"
            | "rd"
            | "s"
            | "am"
            | "pm"
            | "a.m."
            | "p.m."
            | "o'clock"
            | "noon"
            | "midnight"
            | "ft"
            | "lbs"
            | "mph"
            | "k-"
            | "grand"
            | "cameras"
            | "drones"
            | "ice"
            | "nationals"
            | "national"
            | "army"
            | "navy"
            | "military"
            | "secret"
            | "stories"
            | "floors"
            | "lanes"
            | "exits"
            | "routes"
            | "districts"
            | "precincts"
            | "states"
            | "countries"
            | "nations"
            | "languages"
            | "organizations"
            | "groups"
            | "unions"
            | "chapters"
            | "sponsors"
            | "speakers"
            | "performers"
            | "bands"
            | "musicians"
            | "vendors"
            | "booths"
            | "floats"
            | "steps"
            | "rounds"
            | "shots"
            | "bullets"
            | "canisters"
            | "arrests-"
            | "fines"
            | "bails"
            | "felonies"
            | "misdemeanors"
            | "warrants"
            | "raids"
            | "pardons"
            | "medics"
            | "marshals"
            | "guards"
            | "bodyguards"
            | "staff"
            | "inmates"
            | "prisoners"
            | "detainee"
            | "migrants"
            | "deported"
            | "anniversary"
            | "birthday"
            | "votes-"
            | "seat"
            | "degree"
            | "percentile"
    )
}

/// Verbs (and verb starts) after a figure that say the crowd came: "5,000 marched".
pub fn crowd_verb(w: &str) -> bool {
    matches!(
        w,
        "turned"
            | "showed"
            | "gathered"
            | "attended"
            | "marched"
            | "rallied"
            | "joined"
            | "participated"
            | "took"
            | "came"
            | "packed"
            | "filled"
            | "flooded"
            | "lined"
            | "descended"
            | "converged"
            | "massed"
            | "assembled"
            | "demonstrated"
            | "protested"
            | "chanted"
            | "walked"
            | "streamed"
            | "poured"
            | "crowded"
            | "stood"
            | "listened"
            | "cheered"
            | "waved"
            | "braved"
            | "swarmed"
            | "crammed"
            | "jammed"
            | "thronged"
            | "celebrated"
            | "watched"
            | "paraded"
            | "picketed"
            | "sang"
            | "danced"
            | "filed"
            | "surrounded"
            | "occupied"
            | "blocked"
            | "held"
            | "carried"
            | "hoisted"
            | "clogged"
            | "spilled"
            | "snaked"
            | "stretched"
            | "wound"
            | "made"
            | "camped"
            | "knelt"
            | "sat"
            | "prayed"
            | "mourned"
            | "rode"
            | "biked"
            | "cycled"
            | "drove"
            | "gather"
            | "attend"
            | "march"
            | "rally"
            | "join"
            | "participate"
            | "marching"
            | "rallying"
            | "gathering"
            | "protesting"
            | "chanting"
            | "attending"
            | "demonstrating"
            | "strong"
            | "attendance"
            | "stayed"
            | "remained"
            | "arrived"
            | "lingered"
            | "listening"
            | "waving"
            | "holding"
            | "carrying"
            | "went"
            | "struck"
            | "staged"
            | "waiting"
            | "waited"
            | "ringed"
            | "encircled"
            | "headed"
            | "head"
            | "heads"
            | "heading"
            | "rolled"
            | "flocked"
            | "rushed"
            | "surged"
            | "trekked"
            | "convened"
            | "congregated"
            | "amassed"
            | "milling"
            // Headline present tense: "Over 10,000 Protest Trump's Crackdown".
            | "protest"
            | "demonstrate"
            | "stormed"
            | "blanketed"
            | "swamped"
    )
}

/// Words after a figure's noun that say the figure is not a crowd that came: an
/// arrest, an expectation, a registration, a death, a residence.
pub fn negative_verb(w: &str) -> bool {
    matches!(
        w,
        "arrested"
            | "kidnapped"
            | "abducted"
            | "detained"
            | "deported"
            | "killed"
            | "died"
            | "injured"
            | "hurt"
            | "hospitalized"
            | "treated"
            | "cited"
            | "charged"
            | "jailed"
            | "booked"
            | "registered"
            | "signed"
            | "rsvp'd"
            | "rsvped"
            | "rsvp"
            | "expected"
            | "will"
            | "would"
            | "would've"
            | "could've"
            | "might've"
            | "could"
            | "might"
            | "may"
            | "should"
            | "plan"
            | "planned"
            | "planning"
            | "pledged"
            | "promised"
            | "intend"
            | "intended"
            | "live"
            | "lived"
            | "living"
            | "reside"
            | "resided"
            | "work"
            | "worked"
            | "voted"
            | "vote"
            | "responded"
            | "surveyed"
            | "polled"
            | "ride"
            | "rode-"
            | "use"
            | "used"
            | "applied"
            | "died-"
            | "evacuated"
            | "displaced"
            | "lost"
            | "laid"
            | "fired"
            | "furloughed"
            | "missing"
            | "affected"
            | "infected"
            | "sickened"
            | "employed"
            | "enrolled"
            | "subscribed"
            | "followed"
            | "viewed"
            | "watched-"
            | "tuned"
            | "streamed-"
            | "donated"
            | "gave"
            | "paid"
            | "bought"
            | "purchased"
            | "received"
            | "got"
            | "owe"
            | "owed"
            | "need"
            | "needed"
            | "want"
            | "wanted"
            | "hope"
            | "hoped"
            | "rsvpd"
            | "asked"
            | "requested"
            | "expressed"
            | "deployed"
            | "sent"
            | "stationed"
            | "mobilized"
            | "dispatched"
            | "assigned"
            | "on-duty"
            | "guarding"
            | "patrolling"
            | "standing"
            | "shot"
            | "tear-gassed"
            | "pepper-sprayed"
            | "dispersed"
            | "removed"
            | "fined"
            | "ticketed"
            | "remain"
            | "face"
    )
}

/// Words before a figure (in the same clause) that make it anything but the size of a
/// gathering that happened: expectations, capacities, arrests, counterfactuals.
pub fn negative_context(w: &str) -> bool {
    matches!(
        w,
        "arrested"
            | "kidnapped"
            | "kidnap"
            | "kidnapping"
            | "kidnappings"
            | "abducted"
            | "abduct"
            | "abducting"
            | "abductions"
            | "arresting"
            | "arrest"
            | "arrests"
            | "detained"
            | "detaining"
            | "detain"
            | "deported"
            | "deport"
            | "deporting"
            | "deportations"
            | "deportation"
            | "removed"
            | "killed"
            | "kill"
            | "employs"
            | "employ"
            | "employed"
            | "employing"
            | "population"
            | "populations"
            | "populated"
            | "inhabitants"
            | "capacity"
            | "holds"
            | "hold"
            | "seat"
            | "seats"
            | "seating"
            | "struck"
            | "rammed"
            | "accommodate"
            | "accommodates"
            | "permit"
            | "permitted"
            | "permits"
            | "expect"
            | "expected"
            | "expecting"
            | "expects"
            | "expectation"
            | "expectations"
            | "anticipate"
            | "anticipated"
            | "anticipating"
            | "anticipates"
            | "projected"
            | "projecting"
            | "projection"
            | "projections"
            | "projects"
            | "predict"
            | "predicted"
            | "predicting"
            | "predicts"
            | "forecast"
            | "forecasts"
            | "goal"
            | "goals"
            | "aim"
            | "aimed"
            | "aiming"
            | "aims"
            | "hope"
            | "hoped"
            | "hoping"
            | "hopes"
            | "target"
            | "targeted"
            | "targeting"
            | "targets"
            | "would"
            | "would've"
            | "could've"
            | "might've"
            | "could"
            | "might"
            | "will"
            | "should"
            | "plan"
            | "planned"
            | "planning"
            | "plans"
            | "registered"
            | "register"
            | "registration"
            | "registrations"
            | "rsvp"
            | "rsvps"
            | "rsvp'd"
            | "rsvped"
            | "signed"
            | "sign-ups"
            | "signups"
            | "poll"
            | "polled"
            | "polls"
            | "survey"
            | "surveyed"
            | "surveys"
            | "sampled"
            | "sampling"
            | "interviewed"
            | "submitted"
            | "ridership"
            | "riders"
            | "deploy"
            | "deployed"
            | "deploying"
            | "deployment"
            | "deployments"
            | "sent"
            | "sending"
            | "send"
            | "dispatched"
            | "quota"
            | "quotas"
            | "wants"
            | "want"
            | "wanted"
            | "needs"
            | "need"
            | "needed"
            | "budget"
            | "cost"
            | "costs"
            | "paid"
            | "raised"
            | "fined"
            | "aged"
            | "ages"
            | "age"
            | "turned"
            | "turns"
            | "since"
            | "increase"
            | "decrease"
            | "difference"
            | "twice"
            | "triple"
            | "double"
            | "doubled"
            | "tripled"
            | "average"
            | "averaged"
            | "averages"
            | "averaging"
            | "per"
            | "rate"
            | "ratio"
            | "odds"
            | "prepared"
            | "preparing"
            | "braced"
            | "bracing"
            | "ready"
            | "readying"
            | "invited"
            | "inviting"
            | "mobilize"
            | "mobilizing"
            | "recruit"
            | "recruited"
            | "recruiting"
            | "trained"
            | "training"
            | "sold"
            | "printed"
            | "distributed"
            | "handed"
            | "ordered"
            | "estimates-"
            | "murdered"
            | "shot"
            | "injured"
            | "wounded"
            | "died"
            | "death"
            | "deaths"
            | "toll"
            | "evacuated"
            | "hospitalized"
            | "cited"
            | "charged"
            | "booked"
            | "jailed"
            | "drawn-"
            | "draw"
            | "attract"
            | "attracts"
            | "bring"
            | "brings"
            | "gross"
            | "earned"
            | "spent"
            | "signatures"
            | "followers"
            | "subscribers"
            | "votes"
            | "voted"
            | "won"
            | "lost"
            | "margin"
            | "viewership"
            | "viewers"
            | "watched"
            | "tuned"
            | "streamed"
            | "traffic"
            | "visitors"
            | "visits"
            | "troops"
            | "guard"
            | "guardsmen"
            | "soldiers"
            | "officers"
            | "agents"
            | "personnel"
            | "carried"
            | "carrying"
            | "carries"
            | "transported"
            | "bused"
            | "bussed"
            | "ferried"
            | "shuttled"
            | "fed"
            | "served"
            | "housed"
            | "hired"
            | "fair"
            | "game"
            | "concert"
            | "season"
            | "museum"
            | "airport"
            | "zoo"
            | "stadium-"
    )
}

/// Words before a figure that say it is the size of a crowd: "drew", "a crowd of",
/// "estimated", "numbered".
pub fn crowd_context(w: &str) -> bool {
    matches!(
        w,
        "crowd"
            | "crowds"
            | "throng"
            | "throngs"
            | "turnout"
            | "turn-out"
            | "attendance"
            | "audience"
            | "headcount"
            | "head-count"
            | "count"
            | "estimate"
            | "estimates"
            | "estimated"
            | "estimating"
            | "figure"
            | "figures"
            | "number"
            | "numbers"
            | "size"
            | "tally"
            | "drew"
            | "drawing"
            | "attracted"
            | "attracting"
            | "brought"
            | "bringing"
            | "numbered"
            | "numbering"
            | "swelled"
            | "swelling"
            | "grew"
            | "growing"
            | "topped"
            | "exceeded"
            | "surpassed"
            | "reached"
            | "counted"
            | "claimed"
            | "claiming"
            | "tallied"
            | "pegged"
            | "placed"
            | "put"
            | "puts"
            | "putting"
            | "calculated"
            | "totaled"
            | "totalled"
            | "totaling"
            | "mustered"
            | "assembled"
            | "hit"
            | "neared"
            | "approached"
            | "ballooned"
            | "anywhere"
    )
}

/// Nouns of a gathering: "a march of 5,000", "the rally drew".
pub fn gathering_noun(w: &str) -> bool {
    matches!(
        w,
        "rally"
            | "march"
            | "protest"
            | "demonstration"
            | "parade"
            | "vigil"
            | "strike"
            | "gathering"
            | "crowd"
            | "crowds"
            | "event"
            | "walkout"
            | "sit-in"
            | "picket"
            | "procession"
            | "festival"
            | "celebration"
            | "mobilization"
            | "turnout"
            | "assembly"
            | "convoy"
            | "caravan"
            | "counterprotest"
            | "counter-protest"
            | "protests"
            | "rallies"
            | "marches"
            | "demonstrations"
            | "throng"
            | "audience"
            | "attendance"
            | "day"
            | "action"
            | "teach-in"
            | "town"
            | "hall"
            | "concert"
    )
}

/// Qualifiers before a figure, longest first, as word sequences.
pub const QUALIFIERS: &[&[&str]] = &[
    &["somewhere", "in", "the", "neighborhood", "of"],
    &["in", "the", "neighborhood", "of"],
    &["on", "the", "order", "of"],
    &["in", "excess", "of"],
    &["no", "fewer", "than"],
    &["no", "less", "than"],
    &["not", "more", "than"],
    &["no", "more", "than"],
    &["a", "little", "more", "than"],
    &["a", "little", "over"],
    &["a", "bit", "more", "than"],
    &["slightly", "more", "than"],
    &["slightly", "fewer", "than"],
    &["somewhat", "more", "than"],
    &["well", "more", "than"],
    &["far", "more", "than"],
    &["many", "more", "than"],
    &["just", "more", "than"],
    &["a", "reported"],
    &["as", "many", "as"],
    &["as", "few", "as"],
    &["upwards", "of"],
    &["upward", "of"],
    &["more", "than"],
    &["fewer", "than"],
    &["less", "than"],
    &["greater", "than"],
    &["at", "least"],
    &["at", "most"],
    &["up", "to"],
    &["close", "to"],
    &["closer", "to"],
    &["near", "to"],
    &["north", "of"],
    &["shy", "of"],
    &["well", "over"],
    &["well", "above"],
    &["well", "under"],
    &["just", "over"],
    &["just", "under"],
    &["just", "shy", "of"],
    &["just", "below"],
    &["more", "like"],
    &["something", "like"],
    &["an", "estimated"],
    &["some", "estimated"],
    &["roughly"],
    &["about"],
    &["around"],
    &["approximately"],
    &["approx."],
    &["some"],
    &["nearly"],
    &["almost"],
    &["over"],
    &["above"],
    &["under"],
    &["below"],
    &["perhaps"],
    &["possibly"],
    &["maybe"],
    &["probably"],
    &["only"],
    &["just"],
    &["barely"],
    &["approaching"],
    &["exceeding"],
    &["easily"],
    &["potentially"],
    &["reportedly"],
    &["many"],
    &["several"],
    &["another"],
];

/// What a qualifier (lowercased, as written) says about the figure it qualifies.
pub fn qualifier_bound(q: &str) -> crate::reader::Bound {
    use crate::reader::Bound::*;
    let q = q.trim_start_matches(['-', ' ']);
    match q {
        "+" | "plus" | "or more" | "or greater" | "more than" | "over" | "above" | "at least"
        | "upwards of" | "upward of" | "in excess of" | "no fewer than" | "no less than"
        | "greater than" | "north of" | "well over" | "well above" | "just over"
        | "a little more than" | "a little over" | "a bit more than" | "slightly more than"
        | "somewhat more than" | "well more than" | "far more than" | "many more than"
        | "just more than" | "easily" | "exceeding" => Above,
        "fewer than"
        | "less than"
        | "under"
        | "below"
        | "at most"
        | "up to"
        | "not more than"
        | "no more than"
        | "shy of"
        | "just shy of"
        | "well under"
        | "just under"
        | "just below"
        | "slightly fewer than"
        | "barely"
        | "only" => Below,
        "nearly" | "almost" | "close to" | "closer to" | "near to" | "approaching"
        | "as many as" => Nearly,
        "about"
        | "around"
        | "roughly"
        | "approximately"
        | "approx."
        | "~"
        | "\u{2248}"
        | "some"
        | "an estimated"
        | "some estimated"
        | "or so"
        | "in the neighborhood of"
        | "somewhere in the neighborhood of"
        | "on the order of"
        | "perhaps"
        | "possibly"
        | "maybe"
        | "probably"
        | "more like"
        | "something like"
        | "potentially" => Approximate,
        _ => Exact,
    }
}

/// Words that source a figure vaguely by themselves: "reportedly", "unofficial".
pub fn hedge_word(w: &str) -> bool {
    matches!(
        w,
        "reportedly"
            | "purportedly"
            | "allegedly"
            | "supposedly"
            | "rumored"
            | "rumoured"
            | "unofficial"
            | "guesstimate"
            | "guesstimates"
            | "estimation"
            | "estimations"
    )
}

/// Capitalized words after "in" that do not start a town's name.
pub fn not_a_town(w: &str) -> bool {
    matches!(
        w,
        "congress"
            | "america"
            | "addition"
            | "total"
            | "all"
            | "response"
            | "contrast"
            | "fact"
            | "turn"
            | "general"
            | "particular"
            | "short"
            | "spanish"
            | "english"
            | "solidarity"
            | "support"
            | "memory"
            | "honor"
            | "protest"
            | "front"
            | "person"
            | "district"
            | "ward"
            | "trump"
            | "biden"
            | "god"
            | "this"
            | "that"
            | "his"
            | "her"
            | "their"
            | "our"
            | "my"
            | "one"
            | "some"
            | "many"
            | "most"
            | "other"
            | "each"
            | "every"
            | "no"
            | "an"
            | "a"
            | "the"
            | "it"
            | "its"
            | "what"
            | "which"
            | "washington's"
            | "north"
            | "south"
            | "east"
            | "west"
            | "u.s."
            | "us"
            | "usa"
            | "united"
            | "europe"
            | "canada"
            | "mexico"
            | "london"
            | "paris"
            | "berlin"
            | "tokyo"
            | "israel"
            | "gaza"
            | "ukraine"
            | "russia"
            | "china"
    ) || weekday(w).is_some()
}

/// Last words of a venue's name: "Grant Park", "Union Square", "City Hall".
pub fn venue_suffix(w: &str) -> bool {
    matches!(
        w,
        "park"
            | "common"
            | "square"
            | "plaza"
            | "street"
            | "st"
            | "avenue"
            | "ave"
            | "boulevard"
            | "blvd"
            | "road"
            | "hall"
            | "center"
            | "centre"
            | "capitol"
            | "building"
            | "house"
            | "mall"
            | "university"
            | "college"
            | "school"
            | "church"
            | "cathedral"
            | "arena"
            | "stadium"
            | "field"
            | "bridge"
            | "commons"
            | "green"
            | "courthouse"
            | "library"
            | "station"
            | "airport"
            | "office"
            | "tower"
            | "garden"
            | "gardens"
            | "pavilion"
            | "amphitheater"
            | "march"
            | "rally"
            | "protest"
            | "movement"
            | "party"
            | "department"
            | "county"
            | "valley"
            | "state"
    )
}

pub fn month_number(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Day names to chrono weekdays, short forms included.
pub fn weekday(w: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    Some(match w {
        "monday" | "mon" => Mon,
        "tuesday" | "tue" | "tues" => Tue,
        "wednesday" | "wed" => Wed,
        "thursday" | "thu" | "thur" | "thurs" => Thu,
        "friday" | "fri" => Fri,
        "saturday" | "sat" => Sat,
        "sunday" | "sun" => Sun,
        _ => return None,
    })
}

/// The small numbers in words.
pub fn number_word(w: &str) -> Option<u32> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Multiplier words after a figure: "1.5 million", "twenty-five hundred".
pub fn multiplier_word(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "dozen" => 12,
        _ => return None,
    })
}

/// Letters run into a figure that multiply it: "5k", "1.5M".
pub fn multiplier_suffix(w: &str) -> Option<u64> {
    Some(match w {
        "k" | "thou" => 1_000,
        "m" | "mn" | "mil" | "mill" | "mln" => 1_000_000,
        "b" | "bn" => 1_000_000_000,
        _ => return None,
    })
}

/// A word class kept as a data file under `crates/tally-extract/lexicon/` (one
/// lowercased word a line, `#` starts a comment line), embedded at build time and
/// read into a set on first use.
pub struct WordList {
    text: &'static str,
    set: OnceLock<ListSet>,
}

/// A word list's set, with a filter that turns most other words away before hashing:
/// for each word length (up to 31 bytes) a bit for each first letter seen.
struct ListSet {
    words: FxHashSet<&'static str>,
    first_letters: [u32; 32],
}

impl WordList {
    pub const fn new(text: &'static str) -> WordList {
        WordList {
            text,
            set: OnceLock::new(),
        }
    }

    /// True when `w` (lowercased) is in the list.
    pub fn contains(&self, w: &str) -> bool {
        let set = self.set.get_or_init(|| {
            let words: FxHashSet<&'static str> = self
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            let mut first_letters = [0u32; 32];
            for w in &words {
                first_letters[w.len().min(31)] |= letter_bit(w);
            }
            ListSet {
                words,
                first_letters,
            }
        });
        set.first_letters[w.len().min(31)] & letter_bit(w) != 0 && set.words.contains(w)
    }

    /// The words of the list, in file order.
    #[cfg(test)]
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        self.text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
    }
}

/// One bit for a word's first byte: a letter's own bit, or bit 31 for anything else.
fn letter_bit(w: &str) -> u32 {
    match w.as_bytes().first() {
        Some(b @ b'a'..=b'z') => 1 << (b - b'a'),
        _ => 1 << 31,
    }
}

macro_rules! word_lists {
    ($($(#[$doc:meta])* $name:ident = $file:literal;)*) => {
        $($(#[$doc])* pub static $name: WordList =
            WordList::new(include_str!(concat!("../lexicon/", $file)));)*
        /// Every data-file list, by file name (for tests).
        #[cfg(test)]
        pub fn all_lists() -> Vec<(&'static str, &'static WordList)> {
            vec![$(($file, &$name)),*]
        }
    };
}

word_lists! {
    /// Words that end the look for a figure's head noun.
    STOP_WORDS = "stop-words.txt";
    /// Words between a figure and its verb ("5,000 had gathered").
    AUXILIARIES = "auxiliaries.txt";
    /// Words before a number that make it a label ("No. 5", "aged 24").
    LABEL_WORDS = "label-words.txt";
    /// Letters run into a figure ("14th", "2pm", "5km").
    RUN_IN_UNITS = "run-in-units.txt";
    /// Words after a figure that make it a difference or ratio.
    COMPARATIVES = "comparatives.txt";
    /// Hyphened measures ("25-year-old").
    DASH_UNITS = "dash-units.txt";
    /// Crowds we do not count ("the game drew 68,000").
    VENUE_NOUNS = "venue-nouns.txt";
    /// "a peaceful crowd of 5,000".
    CROWD_ADJECTIVES = "crowd-adjectives.txt";
    /// "a city of 237,000".
    POPULATION_NOUNS = "population-nouns.txt";
    /// "the 200,000 the organizers had predicted".
    EXPECTATION_WORDS = "expectation-words.txt";
    /// "to get one million people into the streets".
    GOAL_VERBS = "goal-verbs.txt";
    /// "swelled to 10,000".
    RISING_VERBS = "rising-verbs.txt";
    /// "police said 5k".
    SIZE_VERBS = "size-verbs.txt";
    /// "the planned march drew 3,000".
    PLANNED_WORDS = "planned-words.txt";
    /// "people a day".
    RATE_WORDS = "rate-words.txt";
    /// Gathering words that do not make a venue sentence political.
    NON_POLITICAL_EXCEPTIONS = "non-political-exceptions.txt";
    /// Words that make a venue sentence political.
    POLITICAL_WORDS = "political-words.txt";
    /// "a crowd of 40,000", "a group of about a hundred".
    PEAK_WORDS = "peak-words.txt";
    /// "projecting a crowd of 50,000", "a permit for 5,000": a size not yet seen.
    PROJECTION_WORDS = "projection-words.txt";
    /// "New York City had almost 200,000".
    HEADLINE_VERBS = "headline-verbs.txt";
    /// Words ending in -s after a figure that are no plural noun: "drew 5,000 across the city".
    NOT_PLURALS = "not-plurals.txt";
    /// Words before a bare year that date something: "in 2015", "the 2017 count".
    YEAR_LEADS = "year-leads.txt";
    /// Words after a figure and a dash that make it a crowd: "5,000-strong", "a 3,000-person march".
    DASH_CROWD_WORDS = "dash-crowd-words.txt";
    /// Words after an auxiliary that say a crowd was there: "5,000 were present".
    PRESENCE_WORDS = "presence-words.txt";
    /// Words after a comma that open an aside before a crowd's verb: "40 people, including a local man, were".
    ASIDE_OPENERS = "aside-openers.txt";
    /// Words skipped between a crowd noun and its verb: "300 people reportedly marched".
    VERB_FILLERS = "verb-fillers.txt";
    /// Regions after a crowd noun, before its verb: "600 people across the country arrested".
    REGION_NOUNS = "region-nouns.txt";
    /// Words after "and" before a second crowd noun: "farmworkers and their supporters marched".
    COORDINATED_DETERMINERS = "coordinated-determiners.txt";
    /// Comparatives before "than" after a crowd noun: "2,000 people higher than" is a difference.
    THAN_COMPARATIVES = "than-comparatives.txt";
    /// Headline present-tense verbs right after a crowd noun: "Thousands of teachers crowd the street".
    HEADLINE_CROWD_VERBS = "headline-crowd-verbs.txt";
    /// Adverbs between a crowd noun and its verb besides -ly words: "students nationwide walked out".
    CROWD_ADVERBS = "crowd-adverbs.txt";
    /// Modals before "get in" of people turned away: "could not get inside".
    COULD_WORDS = "could-words.txt";
    /// Verbs of watching from afar: "1.5 million watching by livestream".
    VIEWING_VERBS = "viewing-verbs.txt";
    /// Words after a verb of watching that say it was remote: "watched online".
    REMOTE_WORDS = "remote-words.txt";
    /// Words that end the look for a crowd's verb past a list of nouns: "75,000 teachers, supporters and staff filled".
    VERB_SEARCH_STOPS = "verb-search-stops.txt";
    /// Words that close the backward look for cancelling context before a figure.
    CONTEXT_CLOSERS = "context-closers.txt";
    /// Verbs after "I'd" that make a wish of the figure: "I'd be elated with 500".
    WISH_VERBS = "wish-verbs.txt";
    /// Words for the figure itself before it: "organizers said it was closer to 8,000".
    FIGURE_PRONOUNS = "figure-pronouns.txt";
    /// Verbs that put a crowd somewhere: "packed 1 million into Central Park".
    PACKING_VERBS = "packing-verbs.txt";
    /// Verbs before "with" and a crowd: "Fifth Avenue flowed with thousands".
    FILLED_WITH_VERBS = "filled-with-verbs.txt";
    /// Verbs after "to" of people who came to join a gathering: "walked off the job to join the march".
    JOINING_VERBS = "joining-verbs.txt";
    /// Nouns after "the" and a figure that name an estimate: "the 15,000 estimate".
    ESTIMATE_NOUNS = "estimate-nouns.txt";
    /// Words before "match" that make it a scuffle, no sports match: "a shoving match".
    SCUFFLE_WORDS = "scuffle-words.txt";
    /// Verbs before "by" that name a gathering's organizers: "organized by 3 young women".
    AGENT_VERBS = "agent-verbs.txt";
    /// Hedges before an appositive figure: "Hundreds of people, possibly up to 1,000".
    HEDGE_ADVERBS = "hedge-adverbs.txt";
    /// Words after a figure that name no thing counted: "and 2,000 outside", "400 apiece".
    NOT_THINGS = "not-things.txt";
    /// Verbs of saying between a source and a figure: "Police say 10,000".
    SAYING_VERBS = "saying-verbs.txt";
    /// Verbs before "it was" or "there were" and a figure: "police said there were about 900".
    SAID_IT_VERBS = "said-it-verbs.txt";
    /// Lowercase labels of a list line: "June turnout: 700".
    LIST_LABELS = "list-labels.txt";
    /// Labels of an estimate's bounds: "low: 3,500; mean: 5,000".
    BOUND_LABELS = "bound-labels.txt";
    /// Lowercase subjects of a verb of size: "every other major city saw over 10,000".
    HEADLINE_SUBJECTS = "headline-subjects.txt";
    /// Words of nearness before a figure: "put the number closer to 400,000".
    NEARNESS_WORDS = "nearness-words.txt";
    /// Objects of a verb of estimating before "closer to": "put the number closer to 400,000".
    PUT_OBJECTS = "put-objects.txt";
    /// Verbs of estimating before "at" and a figure: "pegged the crowd at 5,000".
    PUTTING_VERBS = "putting-verbs.txt";
    /// Verbs of a spread of sizes: "rallies ranged from a dozen to 500".
    SPREAD_VERBS = "spread-verbs.txt";
    /// "workers gave up a day's pay to take part".
    SACRIFICE_VERBS = "sacrifice-verbs.txt";
    /// "I'd say 4,000": an estimate after "'d", not a wish.
    JUDGING_VERBS = "judging-verbs.txt";
    /// "500 people over its legal capacity": a preposition before a limit.
    LIMIT_PREPOSITIONS = "limit-prepositions.txt";
    /// "over its legal capacity", "above the limit".
    LIMIT_NOUNS = "limit-nouns.txt";
    /// "The students, about 30 in all, chanted".
    TOTAL_WORDS = "total-words.txt";
    /// "and at end 2200 to 2500": a moment of a gathering before a figure.
    MOMENT_WORDS = "moment-words.txt";
    /// "at the end", "by the close": words before a moment.
    MOMENT_LEADS = "moment-leads.txt";
    /// "700 nurses began the strike".
    STRIKE_START_VERBS = "strike-start-verbs.txt";
    /// "began the strike", "launched a walkout".
    STOPPAGE_NOUNS = "stoppage-nouns.txt";
    /// "members of the group that showed up".
    ARRIVAL_VERBS = "arrival-verbs.txt";
    /// "275,000 people had taken trips on the subway": ridership.
    TRIP_NOUNS = "trip-nouns.txt";
    /// "thousands more watching outside".
    WAITING_VERBS = "waiting-verbs.txt";
    /// "10,000 inside.", "watching outside".
    WHERE_ADVERBS = "where-adverbs.txt";
    /// "Thousands Rally in Austin Against Abortion Bill": title-case words that end a
    /// place name.
    TITLE_BREAKS = "title-breaks.txt";
    /// "hoping for 500, a thousand people, 1,500": a wish across a list of figures.
    WISH_WORDS = "wish-words.txt";
    /// "Chicago more than 150,000", "while Tucson saw about 4,000": qualifiers that
    /// open a figure after a place or its verb.
    FIGURE_OPENERS = "figure-openers.txt";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_nouns_are_venue_words() {
        // `look_back` tests the `VENUE` flag before the `VENUE_NOUNS` list.
        for w in VENUE_NOUNS.words() {
            assert!(flags(w) & VENUE != 0, "{w} is not in VENUES");
        }
    }

    #[test]
    fn data_lists_are_lowercase_and_without_duplicates() {
        for (file, list) in all_lists() {
            let words: Vec<&str> = list.words().collect();
            assert!(!words.is_empty(), "{file} is empty");
            let mut seen = std::collections::HashSet::new();
            for w in &words {
                assert_eq!(*w, w.to_lowercase(), "{file}: {w} is not lowercase");
                assert!(seen.insert(*w), "{file}: {w} twice");
                assert!(list.contains(w));
            }
        }
    }

    fn corpus_words() -> Vec<String> {
        let mut out = Vec::new();
        for e in std::fs::read_dir("../../test_data/extract").unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let t = std::fs::read_to_string(p).unwrap().to_ascii_lowercase();
            let toks = crate::token::tokenize(&t);
            for tk in toks {
                if tk.kind == crate::token::Kind::Word {
                    out.push(t[tk.start..tk.end].to_string());
                }
            }
        }
        out
    }

    /// A measurement, not a check of behaviour (so ignored): a data-file list against the
    /// same words in `matches!`, over the corpus's words. Run with `cargo test --release
    /// -p tally-extract --lib word_list_lookup_speed -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn word_list_lookup_speed() {
        let words = corpus_words();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        for round in 0..3 {
            let t = std::time::Instant::now();
            let mut n = 0usize;
            for _ in 0..200 {
                for w in &words {
                    n += std::hint::black_box(matches!(
                        std::hint::black_box(*w),
                        "in" | "since"
                            | "of"
                            | "the"
                            | "by"
                            | "from"
                            | "until"
                            | "before"
                            | "after"
                            | "during"
                            | "circa"
                            | "spring"
                            | "summer"
                            | "fall"
                            | "autumn"
                            | "winter"
                            | "year"
                            | "early"
                            | "late"
                            | "mid"
                            | "through"
                    )) as usize;
                }
            }
            let a = t.elapsed();
            let t = std::time::Instant::now();
            let mut m = 0usize;
            for _ in 0..200 {
                for w in &words {
                    m +=
                        std::hint::black_box(YEAR_LEADS.contains(std::hint::black_box(w))) as usize;
                }
            }
            let b = t.elapsed();
            let t = std::time::Instant::now();
            let mut n5 = 0usize;
            for _ in 0..200 {
                for w in &words {
                    n5 += std::hint::black_box(matches!(
                        std::hint::black_box(*w),
                        "possibly" | "perhaps" | "maybe" | "probably" | "likely"
                    )) as usize;
                }
            }
            let c = t.elapsed();
            let t = std::time::Instant::now();
            let mut m5 = 0usize;
            for _ in 0..200 {
                for w in &words {
                    m5 += std::hint::black_box(HEDGE_ADVERBS.contains(std::hint::black_box(w)))
                        as usize;
                }
            }
            let d = t.elapsed();
            assert_eq!(n, m);
            assert_eq!(n5, m5);
            let per = (words.len() * 200) as f64;
            println!("round {round}: 21 words: matches {:.2} ns, list {:.2} ns; 5 words: matches {:.2} ns, list {:.2} ns ({} words, hits {n} {n5})",
                a.as_nanos() as f64 / per, b.as_nanos() as f64 / per, c.as_nanos() as f64 / per, d.as_nanos() as f64 / per, words.len());
        }
    }
}
