from cardgen.cli.launch import main

main()
