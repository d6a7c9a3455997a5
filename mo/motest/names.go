package motest

// Name material for the generator: common Danish given names and surnames,
// with æøå, accents (é, è, ü, ö) and the odd foreign name, as a municipality's
// staff register really holds them.

var maleNames = []string{
	"Anders", "Bjørn", "Christian", "Søren", "Jens", "Lars", "Peter", "Michael",
	"Henrik", "Thomas", "Jørgen", "Niels", "Rasmus", "Mads", "Kasper", "Mikkel",
	"Frederik", "Mathias", "Jesper", "Morten", "Ole", "Poul", "Knud", "Erik",
	"Hans", "Torben", "Kristian", "Anker", "Bent", "Asbjørn", "Jørn", "Søren",
	"René", "André", "Jérôme", "Jürgen", "Björn", "Emil", "Oliver", "Noah",
	"Magnus", "Viggo", "Aksel", "Ebbe", "Finn", "Gunnar", "Holger", "Ib",
	"Karsten", "Leif", "Nikolaj", "Palle", "Steen", "Uffe", "Villads", "Øjvind",
	"Ahmed", "Mohammad", "Ali", "Tomáš", "José", "Zoltán",
}

var femaleNames = []string{
	"Anne", "Mette", "Kirsten", "Hanne", "Susanne", "Lene", "Marianne", "Camilla",
	"Louise", "Charlotte", "Maria", "Sofie", "Ida", "Emma", "Freja", "Signe",
	"Line", "Pernille", "Tine", "Birthe", "Inge", "Karen", "Jytte", "Grethe",
	"Åse", "Ønskelise", "Bodil", "Dorthe", "Gitte", "Helle", "Jette", "Lærke",
	"Mille", "Nanna", "Rikke", "Sørine", "Trine", "Vibeke", "Zoë", "Chloé",
	"Hélène", "Renée", "Anaïs", "Jütta", "Mathilde", "Astrid", "Cecilie", "Ellen",
	"Agnete", "Birgitte", "Dagmar", "Ea", "Fatima", "Aisha", "Agnieszka", "Märta",
}

var middleNames = []string{
	"Kjær", "Holm", "Lund", "Dahl", "Bach", "Krogh", "Vestergaard", "Østergaard",
	"Skov", "Bæk", "Friis", "Juul", "Brink", "Søgaard", "Mølgaard", "Bjerre",
}

var surnames = []string{
	"Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
	"Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen",
	"Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller",
	"Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen",
	"Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen", "Holm", "Kristiansen",
	"Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen", "Østergaard",
	"Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jepsen", "Mogensen",
	"Skov", "Bæk", "Søndergaard", "Ågård", "Brøndum", "Højgaard", "Frølund",
	"Sønderby", "Kjærsgaard", "Lindø", "Müller", "Brügger", "Lefèvre", "Jørgensén",
	"Nørgaard", "Dalsgård", "Bødker", "Gómez", "Nguyen", "Yılmaz", "Kowalski",
}

// towns are (postal code, town) pairs used for schools, kindergartens and
// DAR address texts.
var towns = []struct{ zip, name string }{
	{"9800", "Hjørring"}, {"9850", "Hirtshals"}, {"9870", "Sindal"}, {"9760", "Vrå"},
	{"9700", "Brønderslev"}, {"9900", "Frederikshavn"}, {"9990", "Skagen"},
	{"9480", "Løkken"}, {"9493", "Saltum"}, {"9800", "Tårs"}, {"9881", "Bindslev"},
	{"9830", "Tårs"}, {"9740", "Jerslev J"}, {"9750", "Østervrå"}, {"9690", "Fjerritslev"},
	{"8000", "Aarhus C"}, {"8200", "Aarhus N"}, {"8210", "Aarhus V"}, {"8220", "Brabrand"},
	{"8230", "Åbyhøj"}, {"8240", "Risskov"}, {"8250", "Egå"}, {"8260", "Viby J"},
	{"8270", "Højbjerg"}, {"8300", "Odder"}, {"8310", "Tranbjerg J"}, {"8320", "Mårslet"},
	{"8330", "Beder"}, {"8340", "Malling"}, {"8355", "Solbjerg"}, {"8361", "Hasselager"},
	{"8362", "Hørning"}, {"8380", "Trige"}, {"8381", "Tilst"}, {"8382", "Hinnerup"},
	{"8400", "Ebeltoft"}, {"8410", "Rønde"}, {"8450", "Hammel"}, {"8462", "Harlev J"},
	{"8464", "Galten"}, {"8471", "Sabro"}, {"8520", "Lystrup"}, {"8530", "Hjortshøj"},
	{"8541", "Skødstrup"}, {"8543", "Hornslet"}, {"8600", "Silkeborg"}, {"8660", "Skanderborg"},
	{"8680", "Ry"}, {"8700", "Horsens"}, {"8800", "Viborg"}, {"8900", "Randers C"},
	{"7100", "Vejle"}, {"7400", "Herning"}, {"7500", "Holstebro"}, {"6000", "Kolding"},
	{"6700", "Esbjerg"}, {"5000", "Odense C"}, {"5700", "Svendborg"}, {"4000", "Roskilde"},
	{"4200", "Slagelse"}, {"4700", "Næstved"}, {"3000", "Helsingør"}, {"3400", "Hillerød"},
	{"2800", "Kongens Lyngby"}, {"2730", "Herlev"}, {"2620", "Albertslund"}, {"2300", "København S"},
	{"9000", "Aalborg"}, {"9400", "Nørresundby"}, {"9500", "Hobro"}, {"9600", "Aars"},
}

var streets = []string{
	"Østergade", "Vestergade", "Nørregade", "Søndergade", "Algade", "Kirkevej",
	"Skolevej", "Møllevej", "Bøgevej", "Egevej", "Ahornvej", "Birkevej",
	"Strandvejen", "Åboulevarden", "Jernbanegade", "Bredgade", "Storegade",
	"Rådhustorvet", "Frederiksgade", "Kongensgade", "Dronningensgade", "Parkvej",
	"Hjørringvej", "Ringvejen", "Tårnvej", "Lærkevej", "Solsortevej", "Fasanvej",
	"Kløvervænget", "Engvej", "Græsvangen", "Høgevej", "Ørnevej", "Svanevej",
	"Rønnebærvej", "Hybenvej", "Tjørnevej", "Æblehaven", "Pæretræsvej", "Blommehaven",
}

// Unit tree material, after OS2MO's ra-fixture-generator.
var areas = []struct {
	name, key string
	depts     []string
}{
	{"Borgmesterens Afdeling", "BA", []string{"Budget og Planlægning", "HR og organisation", "Erhverv", "Byudvikling", "IT-Support", "Borgerservice"}},
	{"Teknik og Miljø", "TM", []string{"Kloakering", "Park og vej", "Renovation", "Belysning", "IT-Support", "Byggesag"}},
	{"Skole og Børn", "SB", []string{"Social Indsats", "IT-Support", "Skoler og børnehaver", "PPR", "Tandplejen"}},
	{"Social og sundhed", "SS", []string{"Plejecentre", "Hjemmeplejen", "Sundhedsplejen", "Jobcenter", "Misbrugscenter"}},
}

var operatingSystems = []string{"Windows", "Linux", "macOS", "Chromebook", "iPad"}

var jobFunctions = []string{
	"Pædagog", "Pædagogmedhjælper", "Lærer", "Skolesekretær", "Skoleleder",
	"Sygeplejerske", "Social- og sundhedsassistent", "Social- og sundhedshjælper",
	"IT-medarbejder", "IT-supporter", "Jurist", "Konsulent", "Specialkonsulent",
	"Fuldmægtig", "Afdelingsleder", "Pedel", "Rengøringsassistent", "Tandlæge",
	"Tandplejer", "Psykolog", "Ingeniør", "Landinspektør", "Økonom", "Vejmand",
	"Gartner", "Chauffør", "Køkkenassistent", "Ergoterapeut", "Fysioterapeut",
	"Sagsbehandler", "Socialrådgiver", "Direktør",
}
