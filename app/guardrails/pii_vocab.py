"""Word lists behind the address and name finders (lower case; general, not dataset-specific).

Street types come from the USPS Publication 28 suffix table, the Royal Mail thoroughfare types
and the usual street words of European languages (prefix types such as "Rua", "Via", "ul.";
compound endings such as German "-straße", Nordic "-vej"/"-gatan", Finnish "-katu").
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The whitespace-separated words of `text`, as a set."""
    return frozenset(text.split())


# English street suffixes that are rarely anything else after "<number> <Name>".
STRONG_SUFFIXES = words(
    """street st str road rd avenue ave av lane ln drive dr boulevard blvd blv court ct
    place pl terrace ter terr parkway pkwy highway hwy crescent cres close square sq way
    circle cir alley aly expressway expy freeway fwy turnpike tpke causeway cswy mews wynd
    gardens gdns grove gr row trail trl broadway esplanade embankment quay"""
)

# Suffixes that are also everyday words ("Park", "Field"): accepted only at a line/clause end.
WEAK_SUFFIXES = words(
    """park point view green hill hills heights hts run pass key rest well wells spring
    springs station summit track union village field fields fall falls bridge lake lakes
    river mill mills port gateway lodge isle island islands flat flats forge forges rapids
    walk crest ridge valley garden cove creek knoll knolls manor manors meadow meadows plaza
    landing junction jct crossing center centre estate estates glen haven harbor harbour
    hollow inlet orchard oval path pike prairie ranch route shore shores skyway spur stream
    throughway trace tunnel vista vale villa ville wharf dale drove rise common commons
    cliff cliffs brook brooks canyon cape ford fords fort ferry extension burg branch bluff
    bend beach loop mount mountain neck plain plains ramp shoal shoals bypass byp pines
    trafficway underpass viaduct views wall ways fork forks mall motorway stravenue parade
    chase gate hey fold dam dams coves greens radial spurs squares streets roads lanes
    drives courts circles crossroad curve curves divide ests extensions falls fords forges
    garden gardens harbors heights hills islands junctions keys lights light loaf lock
    locks manors meadows mills mission motorway mountains orchards passage pines plains
    points ports prairies ranches rapids ridges shoals shores springs squares stations
    summits terraces traces tracks trails tunnels unions valleys villages views vistas
    walks ways wells anex bayou bluffs bottom camp centers club corner corners course
    crossroad forest glens groves harbors land landing lights loaf mission overpass parks
    pine rapid trailer rue circuit ramble cross round retreat outlook concourse glade
    grange boardwalk arcade approach brace dell lookout nook pathway quadrant reserve
    ridgeway strand turn walkway"""
)

# Street types written before the name (Romance, Slavic, Greek, French, ...).
PREFIX_TYPES = words(
    """rua avenida travessa praça praca largo estrada rodovia alameda calle carrer camino
    paseo pasaje plaza ronda carretera callejón glorieta vía via viale vicolo piazza
    piazzale piazzetta corso contrada strada borgo lungomare rue avenue boulevard chemin
    allée impasse quai place cours route faubourg passage ulica rúa aleja osiedle plac trg
    prospekt nábřeží náměstí πλατεία οδός λεωφόρος bulevardul bulevar calea piața jalan
    rruga ulitsa rambla travesía urbanización acceso cuesta cañada
    polígono calzada prolongación privada cerrada andador circuito retorno periférico
    peatonal salita traversa vico località frazione circonvallazione rotonda stradone
    incrocio aleea intrarea șoseaua soseaua splaiul gang stretto circunvalación diagonal drumul"""
)

# Abbreviated prefix types: only with their dot ("ul. Cicha 86", "Avda. Generalísimo 6").
ABBREV_PREFIXES = words("av avda tv cl pza ctra ul al os pl bd jl gg nám οδ λεωφ str pr c r")

# Prefix types that are also English words: they must be capitalised in mixed-case text.
AMBIGUOUS_PREFIXES = words(
    "via avenue place route passage boulevard plaza cours corso diagonal gang"
)

# Endings of one-word street names ("Friedhofstrasse", "Harjukuja", "Mellemvej").
_COMPOUND_ENDINGS = words(
    """straße strasse gasse weg allee platz damm ufer graben steig pfad chaussee vej vei veien
    vegen gade gaden gata gatan gaten vägen stræde stien vænge vænget vangen bakken haugen
    løkken svingen torget gränd backen stigen kuja tie katu kaari polku rinne raitti tanhua
    väylä ranta laan straat gracht plein steeg kade dreef singel steenweg dijk utca útja
    körút ulica cesta iela tänav maantee puiestee braut vegur stígur ring hof pad markt
    boulevard bulevardi kroken kollen skogen åsen lunden tunet jordet toppen plassen baan
    alléen"""
)
COMPOUND_ENDINGS = tuple(sorted(_COMPOUND_ENDINGS))  # a tuple: str.endswith takes it whole

# Everyday words with a street ending, never a street on their own.
COMPOUND_EXCEPTIONS = words(
    """renegade brigade necktie bowtie hogtie untie freeway sortie earring keyring herring
    offspring drawstring bowstring hamstring mooring boxring wellspring notepad keypad
    touchpad mousepad launchpad trackpad scratchpad gamepad lilypad"""
)

# Street types written as a separate word after the name ("Koepenicker Str.", "Erzsébet tér").
STANDALONE_TYPES = words(
    """str straße strasse gasse weg allee platz utca út útja tér körút u köz sor ulica cesta
    gatan gate vej vei gade laan straat tie katu kuja iela tänav g allé alle"""
)

# Lower-case words allowed inside a street or place name ("Rua Cidade de Maracajá").
CONNECTORS = words(
    """de da do dos das del della delle dei di du des la le les l d van von der den ter ten
    am an im zum zur y e na of und et"""
)

UNIT_WORDS = words(
    """apt apartment suite ste unit flat floor fl room rm building bldg dept appartamento
    interno interior piso puerta planta depto dpto departamento edificio edif etage étage
    appt bloc"""
)

DIRECTIONS = words(
    "n s e w ne nw se sw north south east west northeast northwest southeast southwest"
)

MONTHS_AND_DAYS = words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday
    friday saturday sunday mon tue tues wed thu thurs fri sat sun"""
)

# Words right after a number that make it a quantity, time or measure, not a house number.
UNIT_AFTER_NUMBER = words(
    """x pcs pc pieces piece items item units days day hours hour hrs hr mins min minutes
    minute secs seconds weeks week months month years year yrs kg g gr lb lbs oz cm mm m km
    in inch inches ft feet foot ml l gb tb mb mah w v hz mp pack packs pairs pair usd eur
    dollars dollar euros euro pounds pound times stars star percent off am pm o'clock
    people persons orders order sizes size colors colours variants left more less"""
)

# Capitalised words that start a new sentence or a contact line, never part of an address.
NOT_PLACE = words(
    """i i'm we you it the this that these my our your his her their thanks thank regards
    best cheers sincerely phone tel mobile fax desk office email e-mail mail website web
    name address date please hi hello dear call contact order note ps sent from to subject
    cc and or but so also if when where what who how why can could would will should is are
    was were be have has had do does did get got let ok okay yes no not sure here there
    then after before as at by for in on with about via like just only still again"""
)

# Lower-case English words that end a street or place phrase in any text.
STOP_WORDS = NOT_PLACE | words(
    """a an its me us them him she he they one ones some any all each every other another
    which whose whom been being am its itself more most much many few last next first
    tonight today tomorrow yesterday night morning evening afternoon later soon now
    please thanks send sent ship shipped deliver delivered meet meeting arrive arrived
    stop stay staying live lives lived located near across around behind between into
    onto over under up down out off than too very really same
    concert trip business issue case time times"""
)

# Everyday English words that name lists also hold ("Will", "Grace", "Brown"): a name list
# alone never makes them a name; a strong cue ("my name is") still can.
COMMON_NAME_WORDS = words(
    """a add alpha among an and arch art arts author autumn baby back ball band bay beat best
    bird black block blue bond boss brain bridge bright brown can candy cannon cant cap car
    cares carry case cases chance char cherry chip church clear close comfort comment company
    con convey cross crystal date day dear deep destiny divine don each early echo eco edit
    elder else era essence ever fair faith fall fancy fate fed fee field fields floor font
    foot forest forget fox freely fresh friend general glass glasses gold golden good grace
    gray green grey gross guy hacker hall hand handy happy harm harmony harsh haven heck held
    hell hello hi holder hoop hope house hunt hunter hurt innocent jail jet job joke journey
    joy judge junk justice key kick killer kind king knoll law lawless lawyer lemon less lie
    lies line link lips list little long lot love low loyal lucky mad made major male marine
    mark marks martial master math max may media mens mentor mercy meta minor moon more
    mountain must my nail new noone nova odd order page pages parent park parts patience
    peace pepper per pink please pop post power powers press price priest princess put raid
    ram read reader real reason red rice rich ring rivers rock roll room roots rose ruby rush
    sad said sale server seven sharp shine short silver sing singer sister size skip sky
    small smart snow solar sole son soon spring star steer stone storm story street strong
    style suits summer sunny tab tailor thanks the ties till tiny tone too toy treasure true
    unique unknown unnamed urban us valid versa wall ward warrior wash way weeks were west
    white wild will wing winter wise wolf wood woods worth yoga young bill frank rob sue pat
    dawn june april august chase drew miles lane page cook baker hill street sun moon
    jacket tee tank shorts pant pants hoodie bra top capri leggings tights shell pullover
    sweatshirt jogger bag watch backpack duffle messenger bottle mat strap roller kit gear tea
    shoe shoes sneaker sneakers trainer trainers sock socks hat cap jeans shirt dress skirt
    coat vest boots boot sandals belt scarf gloves mesh zip fleece running training sport
    sports trek trail hike yoga gym fitness active compete premium classic pro ultra lite
    light dark cool warm soft pure prime ah oh hey hmm wow ok okay yes yeah yep sure great
    well um uh oops sorry alright awesome cool nice perfect"""
)

HONORIFICS = words(
    """mr mrs ms miss mx dr prof sir madam mme mlle herr frau sr sra srta señor señora dame
    lord lady"""
)

# Tokens allowed inside a personal name between capitalised parts.
NAME_PARTICLES = words("van von de da di del della der den la le du dos das bin ibn al el ter ten")
NAME_SUFFIXES = words("jr sr ii iii iv")

# Nouns that follow a product name ("Nadia Elements Shell", "Olivia Jacket"): a capitalised
# run right before one of these is a product, not a person.
PRODUCT_NOUNS = words(
    """jacket jackets tee tees tank tanks short shorts pant pants hoodie hoodies bra top tops
    capri capris leggings tights shell pullover sweatshirt jogger joggers bag bags watch
    backpack duffle messenger bottle mat strap kit shoe shoes sneaker sneakers trainer
    trainers sock socks hat cap jeans shirt shirts dress skirt coat vest boots boot sandals
    belt scarf gloves sweater cardigan blazer parka anorak windbreaker fleece bed sofa chair
    table lamp phone case cover charger headphones earbuds speaker laptop tablet camera
    perfume cologne lipstick mascara palette serum cream lotion set bundle pack edition
    model series collection tunic kettle wash shampoo soap oil bottle mug cup pan pot
    tv monitor mouse keyboard console controller"""
)

# Words of organisation names ("Knowledge Agency", "Drake PLC"): such a run is not a person.
ORG_WORDS = words(
    """inc incorporated ltd limited llc llp plc gmbh ag sa sarl bv nv corp corporation co
    company group holdings partners investments technologies technology tech markets agency
    bank insurance solutions systems services consulting labs studio studios media
    foundation institute university college school hospital club association society
    capital ventures industries international global enterprises networks software"""
)
