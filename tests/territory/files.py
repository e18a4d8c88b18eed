"""Small reference files, in the real formats, written to tmp_path by the tests."""

from pathlib import Path

from entrepairs.territory.models import (
    Commune,
    ContextFigures,
    Department,
    Organisation,
    Region,
    Sector,
)

COG_COMMUNES_HEADER = "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT"

FILES = {
    "cog-regions.csv": (
        "utf-8",
        "\n",
        [
            "REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE",
            "11,75056,1,ILE DE FRANCE,Île-de-France,Île-de-France",
            "32,59350,4,HAUTS DE FRANCE,Hauts-de-France,Hauts-de-France",
            "94,2A004,0,CORSE,Corse,Corse",
        ],
    ),
    "cog-departements.csv": (
        "utf-8",
        "\n",
        [
            "DEP,REG,CHEFLIEU,TNCC,NCC,NCCENR,LIBELLE",
            "2A,94,2A004,3,CORSE DU SUD,Corse-du-Sud,Corse-du-Sud",
            "59,32,59350,2,NORD,Nord,Nord",
            "75,11,75056,0,PARIS,Paris,Paris",
        ],
    ),
    "cog-communes.csv": (
        "utf-8",
        "\n",
        [
            COG_COMMUNES_HEADER,
            "COM,2A004,94,2A,20R,2A1,1,AJACCIO,Ajaccio,Ajaccio,2A98,",
            "COM,59009,32,59,59D,595,0,VILLENEUVE D ASCQ,Villeneuve-d'Ascq,Villeneuve-d'Ascq,5940,",
            "COM,59350,32,59,59D,595,0,LILLE,Lille,Lille,5997,",
            "COMA,59355,,,,,0,LOMME,Lomme,Lomme,,59350",
            "COM,75056,11,75,75C,751,0,PARIS,Paris,Paris,7599,",
            "ARM,75101,11,75,75C,751,0,PARIS 1ER ARRONDISSEMENT,Paris 1er Arrondissement,"
            "Paris 1er Arrondissement,7599,75056",
            "COM,59999,32,59,59D,595,0,SANS POPULATION,Sans-Population,Sans-Population,5997,",
        ],
    ),
    "insee-populations-communes.csv": (
        "utf-8",
        "\r\n",
        [
            "REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT",
            "94;Corse;2A;1;;004;2A004;Ajaccio;76320;812;77132",
            "32;Hauts-de-France;59;5;40;009;59009;Villeneuve-d'Ascq;62868;594;63462",
            "32;Hauts-de-France;59;5;;350;59350;Lille;238246;1863;240109",
            "11;Île-de-France;75;1;;101;75101;Paris 1er Arrondissement;15114;93;15207",
            "32;Hauts-de-France;59;5;;351;59351;Fusionnée;100;1;101",
        ],
    ),
    "drees-sae-2022-id.csv": (
        "iso-8859-1",
        "\n",
        [
            "bor;an;fi;rs;fi_ej;cat;reg;dep;COMINSEE;NOMCOM",
            "ID;2022;590000782;EPSM LILLE MÉTROPOLE;590000766;292;32;59;59350;LILLE",
            "ID;2022;2A0000287;CENTRE HOSPITALIER DE CASTELLUCCIO;2A0000386;355;94;2A;2A004;AJACCIO",
            "ID;2022;590000105;CHR LILLE (SANS PSYCHIATRIE ICI);590780193;101;32;59;59350;LILLE",
        ],
    ),
    "drees-sae-2022-psy.csv": (
        "iso-8859-1",
        "\n",
        [
            "BOR;AN;FI;RS;FI_EJ;DIS;NB_SECT;CAP_HTP;CAP_HDJ;NB_CMP_SEUL_PA;NB_CMP_SEUL_PL;"
            "NB_CATTP;FIL_TOT;FIL_AMB;ETP_INF;ETP_PSY;ETP_EDU;ETP_AID;ETPSAL_PKT",
            "PSY;2022;590000782;EPSM LILLE MÉTROPOLE;590000766;GEN;9;250;80;;12;10;20000;15000;"
            "300.5;40.25;20;50;35.7",
            "PSY;2022;590000782;EPSM LILLE MÉTROPOLE;590000766;INF;1;;15;2;;3;3000;;30;10;;;5",
            "PSY;2022;590000782;EPSM LILLE MÉTROPOLE;590000766;TOT;;;;;;;;;;;;;",
            "PSY;2022;2A0000287;CENTRE HOSPITALIER DE CASTELLUCCIO;2A0000386;GEN;2;30;10;1;1;"
            "2;4000;3500;60;8;4;10;6",
        ],
    ),
}


def write(path: Path, lines: list[str], encoding="utf-8", newline="\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def reference_dir(directory: Path, **changes) -> Path:
    """Write the small reference files to ``directory``; ``changes`` replaces some files'
    lines (keyword: file name with "-" and "." replaced by "_", e.g. cog_regions_csv)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, (encoding, newline, lines) in FILES.items():
        key = name.replace("-", "_").replace(".", "_")
        write(directory / name, changes.get(key, lines), encoding, newline)
    return directory


def lines_of(name: str) -> list[str]:
    return list(FILES[name][2])


def snapshot():
    """Everything the importers write, to compare before and after a refused import."""
    return (
        list(Region.objects.order_by("pk").values()),
        list(Department.objects.order_by("pk").values()),
        list(Commune.objects.order_by("pk").values()),
        list(Organisation.objects.order_by("pk").values()),
        list(ContextFigures.objects.order_by("pk").values()),
        list(Sector.objects.order_by("pk").values()),
        list(Sector.communes.through.objects.order_by("pk").values()),
    )
